package ws.transport.eventloop.internal;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A timer in a loop's deadline queue: no thread and no executor task. Cancelling drops its action at
 * once (the entry leaves the queue when it comes due), so a cancelled timer keeps nothing alive.
 */
final class LoopTimer implements Future<Void>, Comparable<LoopTimer> {
    final long deadline;
    /** Set by the loop when queued: equal deadlines run in the order they were scheduled. */
    long sequence;
    private volatile Runnable action;
    private volatile boolean cancelled;
    private volatile boolean done;

    LoopTimer(long deadline, Runnable action) {
        this.deadline = deadline;
        this.action = action;
    }

    void fire(Logger log) {
        Runnable run = action;
        action = null;
        if (run == null || cancelled) {
            return;
        }
        try {
            run.run();
        } catch (RuntimeException | Error e) {
            log.warn("a timer failed", e);
        } finally {
            done = true;
        }
    }

    @Override
    public int compareTo(LoopTimer other) {
        int byTime = Long.compare(deadline - other.deadline, 0);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (done || cancelled) {
            return false;
        }
        cancelled = true;
        action = null;
        return true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isDone() {
        return done || cancelled;
    }

    @Override
    public Void get() {
        throw new UnsupportedOperationException("a loop timer is not waited for");
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("a loop timer is not waited for");
    }
}
