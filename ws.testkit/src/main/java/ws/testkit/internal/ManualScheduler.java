package ws.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import ws.transport.stream.Timers;

/**
 * The time and the pending actions of a manual clock. Time moves only in {@link #advance}, which runs
 * the actions that come due, in due order (ties in scheduling order), on the calling thread, each
 * seeing the clock at its due time. Actions scheduled meanwhile run in the same advance if due.
 */
public final class ManualScheduler {
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final ReentrantLock advancing = new ReentrantLock();
    private long now;
    private long sequence;
    private volatile Runnable beforeEachStep = () -> { };

    /**
     * Runs {@code hook} before each timer action and before time reaches its target in
     * {@link #advance}: the loopback lets the network settle there, so that answers in flight (a pong)
     * are handled before the next deadline is checked.
     */
    public void beforeEachStep(Runnable hook) {
        beforeEachStep = hook;
    }

    /** The clock's time in nanoseconds (starts at 0). */
    public long nanoTime() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves time forward by {@code amount}, running every action due by then.
     *
     * @throws RuntimeException the first exception an action threw (the others suppressed), after all ran
     */
    public void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: advance(" + amount + ")");
        }
        advancing.lock();
        try {
            long target;
            lock.lock();
            try {
                target = now + amount.toNanos();
            } finally {
                lock.unlock();
            }
            List<Throwable> failures = new ArrayList<>();
            while (true) {
                beforeEachStep.run();
                Task task;
                lock.lock();
                try {
                    Task first = queue.peek();
                    if (first == null || first.due > target) {
                        now = target;
                        break;
                    }
                    queue.poll();
                    now = Math.max(now, first.due);
                    task = first;
                } finally {
                    lock.unlock();
                }
                task.run(failures);
            }
            if (!failures.isEmpty()) {
                Throwable first = failures.get(0);
                for (int i = 1; i < failures.size(); i++) {
                    first.addSuppressed(failures.get(i));
                }
                if (first instanceof RuntimeException e) {
                    throw e;
                }
                if (first instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(first);
            }
        } finally {
            advancing.unlock();
        }
    }

    /** Actions waiting to come due. */
    public int pending() {
        lock.lock();
        try {
            return (int) queue.stream().filter(t -> !t.isDone()).count();
        } finally {
            lock.unlock();
        }
    }

    /** The time until the next pending action, or {@code null} when none is pending. */
    public Duration untilNext() {
        lock.lock();
        try {
            return queue.stream().filter(t -> !t.isDone()).mapToLong(t -> t.due).min()
                    .stream().mapToObj(due -> Duration.ofNanos(Math.max(0, due - now))).findFirst().orElse(null);
        } finally {
            lock.unlock();
        }
    }

    /** The names of the pending actions, in due order (for failure messages). */
    public List<String> pendingNames() {
        lock.lock();
        try {
            return queue.stream().filter(t -> !t.isDone()).sorted().map(t -> t.name + "@" + Duration.ofNanos(t.due))
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    /** A view that schedules on this clock for one owner; closing it cancels that owner's actions only. */
    public Timers timers(String owner) {
        return new OwnerTimers(owner);
    }

    private Task add(OwnerTimers owner, long delayNanos, String name, Runnable action) {
        lock.lock();
        try {
            Task task = new Task(owner, now + Math.max(0, delayNanos), sequence++, name, action);
            queue.add(task);
            return task;
        } finally {
            lock.unlock();
        }
    }

    private void cancelAll(OwnerTimers owner) {
        lock.lock();
        try {
            queue.removeIf(task -> task.owner == owner);
        } finally {
            lock.unlock();
        }
    }

    private final class OwnerTimers implements Timers {
        private final String owner;
        private volatile boolean closed;

        OwnerTimers(String owner) {
            this.owner = owner;
        }

        @Override
        public long nanoTime() {
            return ManualScheduler.this.nanoTime();
        }

        @Override
        public Future<?> scheduleNanos(long delayNanos, String name, Runnable action) {
            if (closed) {
                return NONE;
            }
            return ManualScheduler.this.add(this, delayNanos, name, action);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            cancelAll(this);
        }

        @Override
        public boolean awaitTermination(Duration timeout) {
            return true; // no threads of its own
        }

        @Override
        public String toString() {
            return "ManualTimers[" + owner + "]";
        }
    }

    private final class Task implements Future<Void>, Comparable<Task> {
        final OwnerTimers owner;
        final long due;
        final long seq;
        final String name;
        final Runnable action;
        /** 0 pending, 1 ran, 2 cancelled. */
        private volatile int state;

        Task(OwnerTimers owner, long due, long seq, String name, Runnable action) {
            this.owner = owner;
            this.due = due;
            this.seq = seq;
            this.name = name;
            this.action = action;
        }

        void run(List<Throwable> failures) {
            lock.lock();
            try {
                if (state != 0) {
                    return;
                }
                state = 1;
            } finally {
                lock.unlock();
            }
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            }
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            lock.lock();
            try {
                if (state != 0) {
                    return false;
                }
                state = 2;
                queue.remove(this);
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isCancelled() {
            return state == 2;
        }

        @Override
        public boolean isDone() {
            return state != 0;
        }

        @Override
        public Void get() throws ExecutionException {
            if (state == 2) {
                throw new CancellationException(name);
            }
            return null;
        }

        @Override
        public Void get(long timeout, TimeUnit unit) throws ExecutionException {
            return get();
        }
    }
}
