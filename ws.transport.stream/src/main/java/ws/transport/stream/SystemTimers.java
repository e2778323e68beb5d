package ws.transport.stream;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of one server or client on the system clock: one daemon scheduler thread shared by all
 * its connections. The scheduler thread only starts things: every action runs on a virtual thread of
 * its own, since sending a ping or closing a socket may block.
 */
final class SystemTimers implements Timers {
    private static final Logger LOG = LoggerFactory.getLogger(SystemTimers.class);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ScheduledThreadPoolExecutor scheduler;
    /** The timers of {@link #scheduleInLane}'s one delay, made by its first call. */
    private final java.util.concurrent.atomic.AtomicReference<TimerLane> lane = new java.util.concurrent.atomic.AtomicReference<>();

    SystemTimers(String owner) {
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

    /** {@inheritDoc} The action runs on a new virtual thread. */
    @Override
    public Future<?> scheduleNanos(long delayNanos, String name, Runnable action) {
        try {
            return scheduler.schedule(() -> start(name, action), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return NONE;
        }
    }

    /** {@inheritDoc} The name is joined when the action runs. */
    @Override
    public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
        try {
            return scheduler.schedule(() -> start(owner + "-" + what, action), Math.max(0, delayNanos),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return NONE;
        }
    }

    /**
     * {@inheritDoc} Timers of the first delay this is called with go in a {@link TimerLane} ({@code O(1)}
     * to arm and cancel, one scheduler task for all of them); any other delay goes to the scheduler.
     */
    @Override
    public Future<?> scheduleInLane(long delayNanos, String owner, String what, Runnable action) {
        long delay = Math.max(0, delayNanos);
        TimerLane timers = lane.get();
        if (timers == null) {
            lane.compareAndSet(null, new TimerLane(delay, scheduler));
            timers = lane.get();
            if (scheduler.isShutdown()) {
                timers.close(); // closed meanwhile: close() may have missed this lane
            }
        }
        if (!timers.takes(delay)) {
            return schedule(delay, owner, what, action);
        }
        return timers.add(() -> start(owner + "-" + what, action));
    }

    private static void start(String name, Runnable action) {
        Thread.ofVirtual().name(name).start(() -> {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("timer action {} failed", name, e);
            }
        });
    }

    @Override
    public boolean isClosed() {
        return scheduler.isShutdown();
    }

    /** Cancels every pending timer and ends the scheduler thread. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        TimerLane timers = lane.get();
        if (timers != null) {
            timers.close();
        }
    }

    /** Waits for the scheduler thread to end. */
    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
