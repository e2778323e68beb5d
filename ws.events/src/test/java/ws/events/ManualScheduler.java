package ws.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import ws.testkit.Loopback;
import ws.testkit.ManualClock;

/**
 * The event server's (and client's) timers on the testkit's {@link ManualClock}: time moves only on
 * {@link #advance}; the delays asked for are recorded. Public for the client's tests (ws.events.client).
 */
public final class ManualScheduler implements Scheduler, AutoCloseable {
    private final Loopback loopback = Loopback.create();
    private final ManualClock clock = loopback.clock();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Duration> requested = new ArrayList<>();

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        Future<?> timer = clock.schedule(delay, "ws.events", action);
        // recorded once on the clock: a test that saw the request and advances then runs it
        lock.lock();
        try {
            requested.add(delay);
        } finally {
            lock.unlock();
        }
        return () -> timer.cancel(false);
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** Moves time forward, running each action that comes due, in order, on this thread. */
    public void advance(Duration amount) {
        clock.advance(amount);
    }

    /** The in-memory network whose clock this is: its connections' timers run on the same clock. */
    public Loopback loopback() {
        return loopback;
    }

    /** The delays of every action scheduled so far, in the order they were asked for. */
    public List<Duration> requestedDelays() {
        lock.lock();
        try {
            return List.copyOf(requested);
        } finally {
            lock.unlock();
        }
    }

    /** Pending, not cancelled actions. */
    public int pending() {
        return clock.pendingTimers();
    }

    @Override
    public void close() {
        loopback.close();
    }
}
