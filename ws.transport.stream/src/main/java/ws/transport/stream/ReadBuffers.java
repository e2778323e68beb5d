package ws.transport.stream;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import ws.transport.stream.internal.BufferPool;

/**
 * The read buffers of one connection: a small resident buffer, enough for the frames of small
 * messages and for most opening handshakes, and a full-size buffer borrowed from a small shared pool
 * only while bytes arrive faster than the small buffer takes them.
 *
 * <p>The rule: a read that fills the small buffer switches to the large one for the reads that
 * follow; a read that does not fill the large one (the socket had no more for now, so the next read
 * is likely to wait) gives it back. A reader that finds more bytes waiting after filling the small
 * buffer moves them into a large one at once ({@link #enlarge}) and reads the rest into it, so a
 * burst is handed to the engine, and answered, in one piece rather than cut at the small buffer's size
 * (it asks the wire for them with a read that does not wait, not a count of waiting bytes first: one
 * system call); after a burst, a virtual-thread reader reads the next one, if it is there already, straight into a
 * large one the same way, and waits in the small one if not. So a connection waiting for input holds only the small buffer
 * (unless its last read filled a whole large buffer, in which case more bytes are almost certainly
 * on their way). The engine copies what it keeps out of the buffer it is fed, so a buffer may be
 * returned as soon as the read it served was fed.
 *
 * <p>Not thread-safe: the reader thread of one connection uses it. The pool is shared and lock-free.
 */
final class ReadBuffers {
    /** The resident buffer's size: a few small frames, or an opening handshake without large cookies. */
    static final int SMALL = 512;
    /** Full-size buffers kept for reuse, per size, across all connections of this JVM. */
    private static final int POOLED = 16;
    private static final ConcurrentHashMap<Integer, BufferPool> POOLS = new ConcurrentHashMap<>();

    private final ByteBuffer small;
    private final BufferPool pool;
    private ByteBuffer large;

    /** @param largeSize the transport's read buffer size (the small buffer is never larger) */
    ReadBuffers(int largeSize) {
        this.small = ByteBuffer.allocate(Math.min(SMALL, largeSize));
        this.pool = largeSize > small.capacity() ? POOLS.computeIfAbsent(largeSize, size -> new BufferPool(size, POOLED)) : null;
    }

    /** The buffer to read into next, cleared. */
    ByteBuffer current() {
        return large != null ? large : small;
    }

    /** Whether {@code buffer}, just read into, is the small one and full: more bytes are likely waiting. */
    boolean filledSmall(ByteBuffer buffer) {
        return canEnlarge(buffer) && !small.hasRemaining();
    }

    /** Whether {@code buffer} is the small one and a full-size one can take its place ({@link #enlarge}). */
    boolean canEnlarge(ByteBuffer buffer) {
        return buffer == small && pool != null;
    }

    /**
     * Switches to a large buffer now, with the bytes read into the small one (in write mode, as a read
     * leaves it) moved to its start: for reading the rest of a burst into the same buffer.
     *
     * @return the large buffer, in write mode after the moved bytes
     */
    ByteBuffer enlarge() {
        if (large == null) {
            large = take();
        }
        large.put(small.flip());
        small.clear();
        return large;
    }

    /** The small buffer (cleared), for reading and discarding input at the end. */
    ByteBuffer resident() {
        release();
        return small.clear();
    }

    /**
     * Chooses the buffer for the next read from how many bytes the last one gave; call after the
     * bytes were fed to the engine. Leaves the chosen buffer cleared.
     */
    void afterRead(int bytes) {
        if (large == null) {
            small.clear();
            if (bytes >= small.capacity() && pool != null) {
                large = take();
            }
        } else if (bytes < large.capacity()) {
            release();
        } else {
            large.clear();
        }
    }

    /** Gives a borrowed buffer back, if any. */
    void release() {
        ByteBuffer buffer = large;
        if (buffer == null) {
            return;
        }
        large = null;
        pool.give(buffer);
    }

    private ByteBuffer take() {
        return pool.take();
    }
}
