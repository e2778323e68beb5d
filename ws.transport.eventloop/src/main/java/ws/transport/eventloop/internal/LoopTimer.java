package ws.transport.eventloop.internal;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A timer in a loop's deadline queue ({@link TimerHeap}, or, as a {@link Laned}, its {@link TimerLane}):
 * no thread and no executor task. Cancelling drops its action at once and takes the timer out of the
 * queue (on the loop: at once; from another thread: by a task of the loop), so a cancelled timer keeps
 * nothing alive and costs the queue nothing. As small as before it had a place in the heap (an idle
 * connection keeps one, its keepalive): the sequence is an int, the lane's links only in {@link Laned}.
 */
sealed class LoopTimer implements Future<Void>, Comparable<LoopTimer> permits LoopTimer.Laned {
    final long deadline;
    private final Loop loop;
    /** Set by the heap when queued: equal deadlines run in the order they were scheduled (compared wrapping). */
    int sequence;
    /** Its place in the loop's heap, -1 when not in it; the loop thread's. */
    int index = -1;
    private volatile Runnable action;
    private volatile boolean cancelled;
    private volatile boolean done;

    LoopTimer(Loop loop, long deadline, Runnable action) {
        this.loop = loop;
        this.deadline = deadline;
        this.action = action;
    }

    /** A timer of the loop's {@link TimerLane}, with its neighbours there; the loop thread's. */
    static final class Laned extends LoopTimer {
        boolean inLane;
        Laned prev;
        Laned next;

        Laned(Loop loop, long deadline, Runnable action) {
            super(loop, deadline, action);
        }
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
        return byTime != 0 ? byTime : Integer.compare(sequence - other.sequence, 0);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (done || cancelled) {
            return false;
        }
        cancelled = true;
        action = null;
        loop.cancelled(this);
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
