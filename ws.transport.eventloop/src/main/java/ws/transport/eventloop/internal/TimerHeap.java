package ws.transport.eventloop.internal;

import java.util.Arrays;

/**
 * A loop's pending timers by deadline: a binary min-heap in which each {@link LoopTimer} knows its
 * index, so a cancelled timer leaves at once ({@code O(log n)}) rather than staying queued, with its
 * place in the heap, until it would have come due. Equal deadlines come out in the order they were
 * added. The loop thread's only.
 */
final class TimerHeap {
    private LoopTimer[] heap = new LoopTimer[64];
    private int size;
    private int sequence;

    /** Adds {@code timer}. */
    void add(LoopTimer timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.sequence = sequence++;
        up(size++, timer);
    }

    /** The timer due first, or null. */
    LoopTimer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Takes {@code timer} out, if it is in. */
    void remove(LoopTimer timer) {
        int i = timer.index;
        if (i < 0 || i >= size || heap[i] != timer) {
            return;
        }
        timer.index = -1;
        LoopTimer last = heap[--size];
        heap[size] = null;
        if (i < size) {
            down(i, last);
            if (heap[i] == last) {
                up(i, last);
            }
        }
        if (size < heap.length / 4 && heap.length > 64) {
            heap = Arrays.copyOf(heap, heap.length / 2); // a burst of connections gone: let its array go too
        }
    }

    /** How many timers are pending. */
    int size() {
        return size;
    }

    private void up(int i, LoopTimer timer) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            LoopTimer above = heap[parent];
            if (timer.compareTo(above) >= 0) {
                break;
            }
            place(i, above);
            i = parent;
        }
        place(i, timer);
    }

    private void down(int i, LoopTimer timer) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            LoopTimer smaller = heap[child];
            int right = child + 1;
            if (right < size && heap[right].compareTo(smaller) < 0) {
                child = right;
                smaller = heap[right];
            }
            if (timer.compareTo(smaller) <= 0) {
                break;
            }
            place(i, smaller);
            i = child;
        }
        place(i, timer);
    }

    private void place(int i, LoopTimer timer) {
        heap[i] = timer;
        timer.index = i;
    }
}
