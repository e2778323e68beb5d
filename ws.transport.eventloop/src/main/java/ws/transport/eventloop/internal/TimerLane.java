package ws.transport.eventloop.internal;

/**
 * A loop's timers of one fixed delay (the HTTP phase's bound: every accepted connection arms one, and
 * nearly all are cancelled microseconds later by the request): scheduled in order, so due in that
 * order too, and a doubly linked list keeps them: adding, taking out and finding the first are
 * {@code O(1)}, where the heap would sift each one past the many later timers of the open connections.
 * The loop thread's only.
 */
final class TimerLane {
    private final long delayNanos;
    private LoopTimer.Laned head;
    private LoopTimer.Laned tail;
    private int size;

    TimerLane(long delayNanos) {
        this.delayNanos = delayNanos;
    }

    /** Whether a timer of {@code delay} belongs here: its deadline is then never before the last one's. */
    boolean takes(long delay) {
        return delay == delayNanos;
    }

    /** Appends {@code timer} (its deadline now plus this lane's delay). */
    void add(LoopTimer.Laned timer) {
        timer.inLane = true;
        timer.prev = tail;
        if (tail == null) {
            head = timer;
        } else {
            tail.next = timer;
        }
        tail = timer;
        size++;
    }

    /** The timer due first, or null. */
    LoopTimer.Laned peek() {
        return head;
    }

    /** Takes {@code timer} out, if it is in. */
    void remove(LoopTimer.Laned timer) {
        if (!timer.inLane) {
            return;
        }
        timer.inLane = false;
        if (timer.prev == null) {
            head = timer.next;
        } else {
            timer.prev.next = timer.next;
        }
        if (timer.next == null) {
            tail = timer.prev;
        } else {
            timer.next.prev = timer.prev;
        }
        timer.prev = null;
        timer.next = null;
        size--;
    }

    int size() {
        return size;
    }
}
