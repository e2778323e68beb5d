package ws.testkit;

import java.time.Duration;
import java.util.List;
import ws.testkit.internal.ManualScheduler;

/**
 * The clock of a {@link Loopback}: time stands still until a test calls {@link #advance(Duration)}.
 * Keepalive pings and their pong deadline, the idle timeout, the close timeout and the handshake
 * timeout of every loopback connection run on it, so a test of a 30-second timeout takes
 * milliseconds and never depends on the machine's speed.
 *
 * <p>{@code advance} runs the timer actions that come due, in due order, on the calling thread, each
 * seeing the clock at its own due time. What an action starts (a ping written, a connection aborted,
 * {@code onClose} called) then happens on the connection's own threads, as on a socket transport:
 * wait for its result (a {@link RawPeer#awaitFrame}, a close future) rather than assuming it is done
 * when {@code advance} returns.
 *
 * <p>Only the loop's timers use this clock; waits in the test itself ({@code awaitFrame(Duration)},
 * a future's {@code get}) and injected delays ({@link Flow#delay}) are wall time.
 */
public final class ManualClock {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ws.transport.stream.Timers testTimers = scheduler.timers("test");

    ManualClock() {
    }

    /** Moves time forward by {@code amount}, running every timer action due by then. */
    public void advance(Duration amount) {
        scheduler.advance(amount);
    }

    /** The time since this clock started (it starts at zero). */
    public Duration elapsed() {
        return Duration.ofNanos(scheduler.nanoTime());
    }

    /** The clock's reading in nanoseconds, as the loop sees it. */
    public long nanoTime() {
        return scheduler.nanoTime();
    }

    /** How many timer actions are scheduled and not yet run nor cancelled. */
    public int pendingTimers() {
        return scheduler.pending();
    }

    /** Time until the next pending timer action, or {@link Duration#ZERO} when none is pending. */
    public Duration untilNextTimer() {
        Duration next = scheduler.untilNext();
        return next == null ? Duration.ZERO : next;
    }

    /** The pending timer actions ({@code name@dueTime}), in due order: for failure messages. */
    public List<String> pendingTimerNames() {
        return scheduler.pendingNames();
    }

    /**
     * Schedules an action of the test's own on this clock (the timers of a library under test that
     * takes an injectable scheduler, such as ws.events'): it runs during {@link #advance}, in due
     * order with the connections' timers, on the advancing thread. The returned future cancels it.
     */
    public java.util.concurrent.Future<?> schedule(Duration delay, String name, Runnable action) {
        return testTimers.scheduleNanos(delay.toNanos(), name, action);
    }

    ManualScheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "ManualClock[" + elapsed() + ", " + pendingTimers() + " pending]";
    }
}
