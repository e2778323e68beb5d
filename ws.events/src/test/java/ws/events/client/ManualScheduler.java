package ws.events.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Timers that run only when the test moves time with {@link #advance}: one-shot {@code schedule}
 * only, which is all the event client uses. The delays asked for are recorded, in order.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final List<Duration> requested = new ArrayList<>();
    private long now;
    private long sequence;

    private final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
        final long due;
        final long order;

        Task(Runnable action, long due) {
            super(action, null);
            this.due = due;
            this.order = sequence++;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            lock.lock();
            try {
                return unit.convert(due - now, TimeUnit.NANOSECONDS);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(Delayed other) {
            Task that = (Task) other;
            return due != that.due ? Long.compare(due, that.due) : Long.compare(order, that.order);
        }
    }

    /** Moves time forward, running every action that comes due, in due order, on this thread. */
    void advance(Duration amount) {
        long target;
        lock.lock();
        try {
            target = now + amount.toNanos();
        } finally {
            lock.unlock();
        }
        while (true) {
            Task next;
            lock.lock();
            try {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
            } finally {
                lock.unlock();
            }
            next.run();
        }
    }

    /** The delays of every action scheduled so far, in the order they were asked for. */
    List<Duration> requestedDelays() {
        lock.lock();
        try {
            return List.copyOf(requested);
        } finally {
            lock.unlock();
        }
    }

    /** How many actions wait (cancelled ones excluded). */
    int pending() {
        lock.lock();
        try {
            return (int) queue.stream().filter(task -> !task.isCancelled()).count();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        lock.lock();
        try {
            requested.add(Duration.ofNanos(unit.toNanos(delay)));
            Task task = new Task(command, now + unit.toNanos(delay));
            queue.add(task);
            return task;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
