package ws.transport.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import ws.transport.eventloop.layer.NetBuffers;
import ws.transport.stream.internal.BufferPool;

/**
 * The scratch buffers of one {@link EngineWire}, lent from a small pool shared by every wire of the JVM
 * for the length of one call: network bytes in (the reading thread's), network bytes out (under the
 * wire's output lock), and plaintext for a reader whose buffer is smaller than a record. The plaintext
 * buffer alone may stay lent past the call, with the bytes the reader's buffer had no room for, until the
 * call that follows takes it ({@link #keepPlain}, {@link #takeKept}). A connection waiting for input, or
 * idle, holds none of them.
 */
final class WireBuffers implements NetBuffers {
    /** The pooled buffers' size: two records of the largest TLS packet (RFC 8446 section 5.2), with room to spare. */
    static final int SIZE = 36 << 10;
    /**
     * The pool, with 128 slots: a reader takes up to two buffers for a call, and a platform thread may be preempted
     * in one, so a blocking server's hundred connections may hold a few dozen at once (the pool keeps at
     * most what was in use together, up to this many).
     */
    private static final BufferPool POOL = new BufferPool(SIZE, 128);
    /** Buffers lent now, over every wire (0 when every connection waits or is idle): for tests. */
    private static final AtomicInteger LENT = new AtomicInteger();

    // the reading thread's
    private ByteBuffer in;
    private ByteBuffer plain;
    /** The plaintext buffer kept past the reading thread's call, or null. */
    private ByteBuffer kept;
    // under the output lock
    private ByteBuffer out;

    /** {@inheritDoc} True: each buffer is confined to its side (the reader's, or the output lock's). */
    @Override
    public boolean usable() {
        return true;
    }

    @Override
    public ByteBuffer in(int capacity) {
        in = fit(in, capacity);
        return in.clear();
    }

    @Override
    public ByteBuffer out(int capacity) {
        out = fit(out, capacity);
        return out.clear();
    }

    /** A buffer for plaintext of at least {@code capacity} bytes, cleared; the reading thread's. */
    ByteBuffer plain(int capacity) {
        plain = fit(plain, capacity);
        return plain.clear();
    }

    /**
     * Keeps the plaintext buffer lent past the reading thread's call (its bytes are not all handed out), for
     * the call that follows ({@link #takeKept}); {@link #readerDone} leaves it.
     *
     * @return the buffer kept
     */
    ByteBuffer keepPlain() {
        ByteBuffer buffer = plain;
        plain = null;
        kept = buffer;
        return buffer;
    }

    /** Whether a plaintext buffer is kept. */
    boolean hasKept() {
        return kept != null;
    }

    /**
     * The reading thread takes the buffer kept by {@link #keepPlain} back, and with it the duty to
     * {@link #giveBack} it; null when none is kept.
     */
    ByteBuffer takeKept() {
        ByteBuffer buffer = kept;
        kept = null;
        return buffer;
    }

    /** Returns a buffer taken back by {@link #takeKept}. */
    void giveBack(ByteBuffer buffer) {
        give(buffer);
    }

    /** The reading thread's call is over: its buffers go back. */
    void readerDone() {
        give(in);
        in = null;
        give(plain);
        plain = null;
    }

    /** A write is over (under the output lock): its buffer goes back. */
    void writerDone() {
        give(out);
        out = null;
    }

    /** {@code held} when it has room for {@code capacity} bytes, else another in its place (it goes back). */
    private static ByteBuffer fit(ByteBuffer held, int capacity) {
        if (held != null && held.capacity() >= capacity) {
            return held;
        }
        give(held);
        return take(capacity);
    }

    /**
     * Whether the output buffer is out: exact on the thread that last took it (a reader whose engine
     * wrapped a handshake message), a hint on others, which then take the output lock to {@link #writerDone}.
     */
    boolean holdsOut() {
        return out != null;
    }

    /** Buffers lent now, over every wire of the JVM. */
    static int lent() {
        return LENT.get();
    }

    private static ByteBuffer take(int capacity) {
        LENT.incrementAndGet();
        return capacity <= SIZE ? POOL.take() : ByteBuffer.allocate(capacity);
    }

    private static void give(ByteBuffer buffer) {
        if (buffer == null) {
            return;
        }
        LENT.decrementAndGet();
        POOL.give(buffer); // an outsized one is garbage
    }
}
