package ws.events.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import ws.events.Scheduler;

/**
 * Timers that run only when the test moves time with {@link #advance}, in due order, on the test's
 * thread. The delays asked for are recorded, in order.
 */
final class ManualScheduler implements Scheduler {
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final List<Duration> requested = new ArrayList<>();
    private long now;
    private long sequence;

    private record Task(long due, long order, Runnable action, boolean[] cancelled) implements Comparable<Task> {
        @Override
        public int compareTo(Task that) {
            return due != that.due ? Long.compare(due, that.due) : Long.compare(order, that.order);
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        lock.lock();
        try {
            requested.add(delay);
            Task task = new Task(now + delay.toNanos(), sequence++, action, new boolean[1]);
            queue.add(task);
            return () -> {
                lock.lock();
                try {
                    task.cancelled()[0] = true;
                } finally {
                    lock.unlock();
                }
            };
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

    /** Moves time forward, running every action that comes due (and is not cancelled). */
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
                if (next == null || next.due() > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due();
                if (next.cancelled()[0]) {
                    continue;
                }
            } finally {
                lock.unlock();
            }
            next.action().run();
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
}
