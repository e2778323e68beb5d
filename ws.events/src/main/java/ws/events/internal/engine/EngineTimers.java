package ws.events.internal.engine;

import java.time.Duration;

/**
 * Where the engine's timers run (heartbeats, the upgrade timeout, the closing grace): the server
 * hands in its {@code ws.events.Scheduler} through this small interface, so this package needs
 * nothing from the API package above it, and tests still drive time by hand.
 */
@FunctionalInterface
public interface EngineTimers {

    /** Runs {@code action} once after {@code delay}; the returned timer cancels it. */
    Timer schedule(Duration delay, Runnable action);

    /** A scheduled action that can still be cancelled. */
    @FunctionalInterface
    interface Timer {
        /** Cancels it if it has not run; does nothing otherwise. */
        void cancel();
    }
}
