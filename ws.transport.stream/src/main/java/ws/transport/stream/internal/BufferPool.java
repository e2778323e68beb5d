package ws.transport.stream.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small lock-free pool of heap buffers of one size, shared by the connections of a JVM: the read
 * buffers a stream connection borrows while bytes arrive faster than its resident buffer takes them,
 * and the scratch buffers of a TLS wire for the length of one call. It keeps at most as many buffers
 * as were given back together, up to its slots; a buffer given back to a full pool is garbage.
 *
 * <p>Each thread starts its search at a slot of its own (its id), so that connections on different
 * carriers seldom meet on one slot.
 */
public final class BufferPool {
    private final int size;
    private final AtomicReferenceArray<ByteBuffer> slots;
    private final int mask;

    /**
     * @param size  the pooled buffers' capacity
     * @param slots how many it keeps at most: a power of two
     */
    public BufferPool(int size, int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.size = size;
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** A buffer of the pool's size, cleared: a pooled one, else a new one. */
    public ByteBuffer take() {
        int start = start();
        for (int i = 0; i <= mask; i++) {
            int slot = (start + i) & mask;
            if (slots.get(slot) != null) {
                ByteBuffer buffer = slots.getAndSet(slot, null);
                if (buffer != null) {
                    return buffer;
                }
            }
        }
        return ByteBuffer.allocate(size);
    }

    /** Takes {@code buffer} back, cleared, if it has the pool's size and a slot is free; else it is garbage. */
    public void give(ByteBuffer buffer) {
        if (buffer.capacity() != size) {
            return;
        }
        buffer.clear();
        int start = start();
        for (int i = 0; i <= mask; i++) {
            if (slots.compareAndSet((start + i) & mask, null, buffer)) {
                return;
            }
        }
    }

    private int start() {
        return (int) (Thread.currentThread().threadId() & mask);
    }
}
