package ws.events;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The default {@link Scheduler}: a shared daemon timer thread that starts each action on a virtual thread. */
final class SystemScheduler implements Scheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ws-events-timer");
        thread.setDaemon(true);
        return thread;
    });

    private SystemScheduler() {
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> future = timer.schedule(() -> Thread.ofVirtual().name("ws-events-timer-action").start(action),
                Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
