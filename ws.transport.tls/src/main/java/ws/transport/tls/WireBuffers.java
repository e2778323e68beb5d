package ws.transport.tls;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import ws.transport.eventloop.layer.NetBuffers;
import ws.transport.stream.internal.BufferPool;

/**
 * The scratch buffers of one {@link EngineWire}, lent from a small pool shared by every wire of the JVM
 * for the length of one call: network bytes in (the reading thread's), network bytes out (under the
 * wire's output lock), and plaintext for a reader whose buffer is smaller than a record. The plaintext
 * buffer alone may stay lent past the call, with the bytes the reader's buffer had no room for, until the
 * call that follows takes it ({@link #keepPlain}, {@link #takeKept}), or the wire's end gives it back
 * ({@link #end}). A connection waiting for input, or idle, holds none of them.
 */
final class WireBuffers implements NetBuffers {
    private static final VarHandle KEPT;

    static {
        try {
            KEPT = MethodHandles.lookup().findVarHandle(WireBuffers.class, "kept", ByteBuffer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
    /** Buffers the reading thread took from the pool so far: for tests. */
    private long readerTakes;
    private ByteBuffer in;
    private ByteBuffer plain;
    // under the output lock
    private ByteBuffer out;
    // the reader's and the wire's end's: one of them takes it (getAndSet), so it goes back once
    /** The plaintext buffer kept past the reading thread's call, or null. */
    private volatile ByteBuffer kept;
    /** The wire's end came: a buffer kept from now on goes back at once. */
    private volatile boolean ended;

    /** {@inheritDoc} True: each buffer is confined to its side (the reader's, or the output lock's). */
    @Override
    public boolean usable() {
        return true;
    }

    @Override
    public ByteBuffer in(int capacity) {
        if (in == null) {
            readerTakes++;
        }
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
        if (plain == null) {
            readerTakes++;
        }
        plain = fit(plain, capacity);
        return plain.clear();
    }

    /**
     * Keeps the plaintext buffer lent past the reading thread's call (its bytes are not all handed out), for
     * the call that follows ({@link #takeKept}); {@link #readerDone} leaves it. After the wire's end it goes
     * back at once (the end may have looked before it was kept).
     *
     * @return the buffer kept
     */
    ByteBuffer keepPlain() {
        ByteBuffer buffer = plain;
        plain = null;
        kept = buffer;
        if (ended) { // read after the write above, as end() writes then takes: one of the two finds it
            give(takeKept());
        }
        return buffer;
    }

    /** Whether a plaintext buffer is kept (a hint: {@link #takeKept} may still find none, after the wire's end). */
    boolean hasKept() {
        return kept != null;
    }

    /**
     * The reading thread takes the buffer kept by {@link #keepPlain} back, and with it the duty to
     * {@link #giveBack} it; null when none is kept, or the wire's end gave it back.
     */
    ByteBuffer takeKept() {
        return (ByteBuffer) KEPT.getAndSet(this, null);
    }

    /** Returns a buffer taken back by {@link #takeKept}. */
    void giveBack(ByteBuffer buffer) {
        give(buffer);
    }

    /**
     * The wire's end (closed, or its reader failed), from any thread: the kept plaintext buffer goes back,
     * now or as soon as it is kept, exactly once whatever the reader does meanwhile.
     */
    void end() {
        ended = true;
        give(takeKept());
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

    /** How many times the reading thread took a buffer from the pool, for this wire. */
    long readerTakes() {
        return readerTakes;
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
