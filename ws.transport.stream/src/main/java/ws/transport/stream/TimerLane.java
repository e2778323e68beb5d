package ws.transport.stream;

import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Timers of one fixed delay (the HTTP phase's bound: every accepted connection arms one, and nearly
 * all are cancelled microseconds later by the request), kept in the order they were armed, which is
 * also the order they are due: a doubly linked list under a lock, {@code O(1)} to arm and to cancel,
 * where a scheduler's heap sifts each one past the later timers of the open connections, under its
 * own lock, twice.
 *
 * <p>The lane asks its scheduler for one wake-up at a time, at or before its first deadline; the
 * wake-up starts the timers that are due, in order, and asks for the next one while any are left. So
 * the scheduler sees one task per lane, not one per timer, and an empty lane holds no task (the
 * scheduler's thread may end). Cancelling takes a timer out of the list; a wake-up that finds the
 * first timer not yet due (the ones before it were cancelled) just asks again for its deadline.
 */
final class TimerLane {
    private final long delayNanos;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private Entry head;
    private Entry tail;
    private int size;
    /** Whether a wake-up is asked for (it comes at or before the first timer's deadline). */
    private boolean awake;
    private boolean closed;

    /** A timer in the lane: its action runs (through {@link FutureTask#run}) unless cancelled first. */
    private final class Entry extends FutureTask<Void> {
        final long deadline;
        Entry prev;
        Entry next;
        boolean linked;

        Entry(Runnable action, long deadline) {
            super(action, null);
            this.deadline = deadline;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                unlink(this);
            }
            return cancelled;
        }
    }

    /**
     * @param delayNanos the delay of every timer of this lane
     * @param scheduler  runs the lane's wake-ups (which only start the due timers' actions)
     */
    TimerLane(long delayNanos, ScheduledExecutorService scheduler) {
        this.delayNanos = delayNanos;
        this.scheduler = scheduler;
    }

    /** Whether a timer of {@code delay} belongs here (its deadline is then never before the last one's). */
    boolean takes(long delay) {
        return delay == delayNanos;
    }

    /**
     * Arms {@code action} to run after this lane's delay; it must not block (it starts what may).
     *
     * @return the handle to cancel it, or {@link Timers#NONE} once the lane is closed
     */
    Future<?> add(Runnable action) {
        Entry entry = new Entry(action, System.nanoTime() + delayNanos);
        boolean wake;
        lock.lock();
        try {
            if (closed) {
                return Timers.NONE;
            }
            entry.linked = true;
            entry.prev = tail;
            if (tail == null) {
                head = entry;
            } else {
                tail.next = entry;
            }
            tail = entry;
            size++;
            wake = !awake;
            awake = true;
        } finally {
            lock.unlock();
        }
        if (wake) {
            wakeAfter(delayNanos);
        }
        return entry;
    }

    private void wakeAfter(long nanos) {
        try {
            scheduler.schedule(this::wake, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shutDown) {
            close();
        }
    }

    /** Starts the timers that are due, in order, then asks for a wake-up at the next deadline, if any. */
    private void wake() {
        while (true) {
            Entry due;
            long wait;
            lock.lock();
            try {
                due = head;
                if (due == null || closed) {
                    awake = false;
                    return;
                }
                wait = due.deadline - System.nanoTime();
                if (wait <= 0) {
                    unlinkLocked(due);
                }
            } finally {
                lock.unlock();
            }
            if (wait > 0) {
                wakeAfter(wait);
                return;
            }
            due.run(); // nothing when it was cancelled meanwhile
        }
    }

    private void unlink(Entry entry) {
        lock.lock();
        try {
            unlinkLocked(entry);
        } finally {
            lock.unlock();
        }
    }

    private void unlinkLocked(Entry entry) {
        if (!entry.linked) {
            return;
        }
        entry.linked = false;
        if (entry.prev == null) {
            head = entry.next;
        } else {
            entry.prev.next = entry.next;
        }
        if (entry.next == null) {
            tail = entry.prev;
        } else {
            entry.next.prev = entry.prev;
        }
        entry.prev = null;
        entry.next = null;
        size--;
    }

    /** Timers armed and neither started nor cancelled. */
    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every pending timer (none of them runs) and arms no more. */
    void close() {
        lock.lock();
        try {
            closed = true;
            while (head != null) {
                unlinkLocked(head);
            }
        } finally {
            lock.unlock();
        }
    }
}
