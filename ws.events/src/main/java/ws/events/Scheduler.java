package ws.events;

import java.time.Duration;

/**
 * Where the event server's timers run: heartbeats, ack timeouts, the connect and upgrade timeouts,
 * the expiry of recoverable sessions. Injected through {@link EventServer.Builder#scheduler}, so a
 * test can drive time by hand; {@link #system()} is the default.
 *
 * <p>Actions must be short (they send a packet, complete a future, close a session); they may run
 * on any thread.
 */
public interface Scheduler {

    /** Runs {@code action} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable action);

    /** A monotonic reading in nanoseconds (like {@link System#nanoTime()}), for durations. */
    long nanoTime();

    /** A scheduled action that can still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels it if it has not run; does nothing otherwise. */
        void cancel();
    }

    /**
     * Real time: one daemon thread starts the actions, each of which runs on a virtual thread of its
     * own, so a slow action never delays another.
     */
    static Scheduler system() {
        return SystemScheduler.INSTANCE;
    }
}
