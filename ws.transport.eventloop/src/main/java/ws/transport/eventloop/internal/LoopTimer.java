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
 *
 * <p>A timer of the heap whose action schedules itself again while it runs (a connection's keepalive,
 * at every tick) is armed again ({@link #rearm}) rather than replaced by a new one: an idle connection
 * then leaves no timer behind at each tick, only the one it keeps.
 */
sealed class LoopTimer implements Future<Void>, Comparable<LoopTimer> permits LoopTimer.Laned {
    /** When it is due; changed only by {@link #rearm}, while it is out of the queue. The loop thread's. */
    long deadline;
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

    /** Runs the action, out of the queue, unless cancelled; after it the timer keeps nothing, unless re-armed. */
    void fire(Logger log) {
        Runnable run = action;
        if (run == null || cancelled) {
            action = null;
            return;
        }
        done = true; // before it runs: the action may arm this timer again (rearm), which undoes it
        try {
            run.run();
        } catch (RuntimeException | Error e) {
            log.warn("a timer failed", e);
        } finally {
            if (done) {
                action = null; // ran for good: it keeps nothing alive
            }
        }
    }

    /**
     * Arms this timer again for {@code at}, if {@code again} is the action it is running now (its loop
     * asks while the action schedules itself): it is then as if just scheduled, and goes back in the
     * queue. On the loop thread.
     *
     * @return whether it was armed again; if not, the caller makes a new timer
     */
    boolean rearm(long at, Runnable again) {
        if (!done || cancelled || action != again) {
            return false;
        }
        deadline = at;
        done = false;
        return true;
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
