package ws.protocol.driver;

import java.util.concurrent.Future;

/**
 * The clock and timers a {@link ConnectionDriver} runs on. A transport supplies one backed by the
 * system clock and a scheduler thread; a test supplies a manual one ({@code ws.testkit}'s
 * {@code ManualClock}), so keepalive, idle, close and handshake deadlines fire when the test advances
 * time, with no thread and no sleep. Every time the driver measures comes from {@link #nanoTime()}.
 */
public interface Scheduler {

    /** The current time of this clock, in nanoseconds from an arbitrary origin. */
    long nanoTime();

    /**
     * Runs {@code action} once, {@code delayNanos} from now. The action may block (close a socket,
     * wait for a lock): an implementation never runs it on a thread other timers need.
     *
     * @param owner names the connection, and {@code what} the deadline ({@code owner-what}, for thread
     *              names and failure messages); an implementation may join them only when it runs
     * @return a handle whose {@link Future#cancel} cancels it; an already completed one when the
     *         scheduler is closed
     */
    Future<?> schedule(long delayNanos, String owner, String what, Runnable action);
}
