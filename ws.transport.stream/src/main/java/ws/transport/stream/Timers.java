package ws.transport.stream;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The clock and the timers of one server or client. The socket transports use the system clock
 * ({@link #system}); ws.testkit runs the same loop on a manual clock, so that keepalive, idle, close
 * and handshake timeouts fire when a test advances time rather than after real waiting. Every time
 * the loop measures (the last read, the last message, a ping sent) comes from {@link #nanoTime()}.
 */
public interface Timers extends ws.protocol.driver.Scheduler, AutoCloseable {

    /** A scheduled action that was never scheduled (timers closed, or a zero duration). */
    Future<?> NONE = CompletableFuture.completedFuture(null);

    /** Timers on the system clock: one daemon scheduler thread; actions run on virtual threads. */
    static Timers system(String owner) {
        return new SystemTimers(owner);
    }

    /** The current time of this clock, in nanoseconds from an arbitrary origin ({@link System#nanoTime()} by default). */
    @Override
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Runs {@code action} after {@code delay}. It may block (send a ping, close a socket): an
     * implementation never runs it on a thread that other timers need.
     *
     * @return a handle to cancel it, or {@link #NONE} when the timers are closed
     */
    default Future<?> schedule(Duration delay, String name, Runnable action) {
        return scheduleNanos(delay.toNanos(), name, action);
    }

    /** Like {@link #schedule}, with the delay in nanoseconds. */
    Future<?> scheduleNanos(long delayNanos, String name, Runnable action);

    /**
     * Like {@link #scheduleNanos(long, String, Runnable)}, with the name in two parts ({@code owner-what})
     * that an implementation may join only when the action runs, so that a pending timer holds no
     * string of its own.
     */
    @Override
    default Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
        return scheduleNanos(delayNanos, owner + "-" + what, action);
    }

    /**
     * Like {@link #schedule(long, String, String, Runnable)}, for timers that nearly all have one delay
     * and are nearly all cancelled soon (the HTTP phase's bound, one per accepted connection): an
     * implementation may keep the timers of that delay in the order they were armed, cheaper to arm and
     * cancel than a general deadline queue.
     */
    default Future<?> scheduleInLane(long delayNanos, String owner, String what, Runnable action) {
        return schedule(delayNanos, owner, what, action);
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed();

    /** Cancels every pending timer of this owner and ends its threads, if any. */
    @Override
    void close();

    /** Waits for the threads of these timers to end. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;
}
