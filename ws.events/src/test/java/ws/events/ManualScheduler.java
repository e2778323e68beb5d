package ws.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Scheduler} whose time moves only when a test calls {@link #advance}; it records the delays
 * asked for. Public for the client's tests (ws.events.client).
 */
public final class ManualScheduler implements Scheduler {
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final List<Duration> requested = new ArrayList<>();
    private long now;
    private long sequence;

    private static final class Task implements Comparable<Task> {
        final long due;
        final long order;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(order, other.order);
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        lock.lock();
        try {
            requested.add(delay);
            Task task = new Task(now + delay.toNanos(), sequence++, action);
            tasks.add(task);
            return () -> task.cancelled = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    /** Moves time forward, running each action that comes due, in order, on this thread. */
    public void advance(Duration amount) {
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
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due);
            } finally {
                lock.unlock();
            }
            if (!next.cancelled) {
                next.action.run();
            }
        }
    }

    /** The delays of every action scheduled so far, in the order they were asked for. */
    public List<Duration> requestedDelays() {
        lock.lock();
        try {
            return List.copyOf(requested);
        } finally {
            lock.unlock();
        }
    }

    /** Pending, not cancelled actions. */
    public int pending() {
        lock.lock();
        try {
            List<Task> live = new ArrayList<>();
            for (Task task : tasks) {
                if (!task.cancelled) {
                    live.add(task);
                }
            }
            return live.size();
        } finally {
            lock.unlock();
        }
    }
}
