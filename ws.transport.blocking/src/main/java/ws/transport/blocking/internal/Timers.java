package ws.transport.blocking.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of one server or client: one daemon scheduler thread shared by all its connections.
 * The scheduler thread only starts things: every action runs on a virtual thread of its own, since
 * sending a ping or closing a socket may block.
 */
final class Timers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Timers.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** A scheduled action that was never scheduled (timers closed, or a zero duration). */
    static final Future<?> NONE = java.util.concurrent.CompletableFuture.completedFuture(null);

    private final ScheduledThreadPoolExecutor scheduler;

    Timers(String owner) {
        String threadName = "ws-timers-" + owner + "-" + COUNT.incrementAndGet();
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setKeepAliveTime(10, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code action} on a new virtual thread after {@code delay}.
     *
     * @return a handle to cancel it, or {@link #NONE} when the timers are closed
     */
    Future<?> schedule(Duration delay, String name, Runnable action) {
        return scheduleNanos(delay.toNanos(), name, action);
    }

    /** Like {@link #schedule}, with the delay in nanoseconds. */
    Future<?> scheduleNanos(long delayNanos, String name, Runnable action) {
        try {
            ScheduledFuture<?> future = scheduler.schedule(() -> {
                Thread.ofVirtual().name(name).start(() -> {
                    try {
                        action.run();
                    } catch (RuntimeException | Error e) {
                        LOG.warn("timer action {} failed", name, e);
                    }
                });
            }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return future;
        } catch (RejectedExecutionException closed) {
            return NONE;
        }
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        return scheduler.isShutdown();
    }

    /** Cancels every pending timer and ends the scheduler thread. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** Waits for the scheduler thread to end. */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
