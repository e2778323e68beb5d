package ws.events;

import java.time.Duration;
import java.util.concurrent.Future;
import ws.testkit.Loopback;
import ws.testkit.ManualClock;

/** The event server's timers on the testkit's {@link ManualClock}: time moves only on {@link #advance}. */
final class ManualScheduler implements Scheduler, AutoCloseable {
    private final Loopback loopback = Loopback.create();
    private final ManualClock clock = loopback.clock();

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        Future<?> timer = clock.schedule(delay, "ws.events", action);
        return () -> timer.cancel(false);
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** Moves time forward, running each action that comes due, in order, on this thread. */
    void advance(Duration amount) {
        clock.advance(amount);
    }

    @Override
    public void close() {
        loopback.close();
    }
}
