package ws.transport.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;
import ws.transport.blocking.internal.AbstractChannelWire;
import ws.transport.blocking.internal.ChannelModes;

/**
 * TLS on a connection of a socket transport (its own thread, virtual or platform): the
 * {@link EngineChannel} of the event loop over the accepted {@link SocketChannel}, which stays in blocking
 * mode except for the calls that must not wait, so that the reader behaves as over a plain channel.
 *
 * <ul>
 *   <li><b>Reading</b> (the connection's thread): {@link #readNow} gives plaintext already decrypted, whole
 *       records already read, then what one socket read that does not wait brings (the channel switched to
 *       non-blocking mode for it, {@link ChannelModes}); so it sees every byte that has arrived
 *       ({@link #readNowSeesAll()}), but for a partial record, whose rest the next read waits for anyway.
 *       {@link #read} waits for bytes in the caller's buffer (so a waiting connection holds no network
 *       buffer of its own), hands them to the engine, then reads the rest without waiting. Plaintext the
 *       caller's buffer has no room for waits in the pooled plaintext buffer for the next read (a caller
 *       whose buffer filled reads again at once), then in a copy of its exact size (see {@link #handOut});
 *       {@link #close} gives the pooled buffer back.</li>
 *   <li><b>Writing</b>: {@link #tryWrite} (the reader's answers) wraps and writes what the socket takes
 *       now; the ciphertext it does not take is kept aside, goes out first on every later write, and a
 *       flusher (a virtual thread) writes it at once, blocking, even when no write follows. {@link #write}
 *       (the hand-off writer) blocks until all is out. Both under the engine's output lock, which the
 *       reader also holds while it switches the channel's mode.</li>
 *   <li><b>The end</b>: {@link #shutdownOutput} sends close_notify, then the TCP FIN; the peer's
 *       close_notify or FIN is the end of input.</li>
 * </ul>
 */
final class EngineWire extends AbstractChannelWire {
    /** Flushers started over every wire of the JVM: for tests. */
    private static final AtomicLong FLUSHERS = new AtomicLong();

    private final EngineChannel tls;
    private final WireBuffers buffers;
    private final ChannelModes modes;
    private final ReentrantLock output;
    private final AtomicBoolean flushing = new AtomicBoolean();

    // the reading thread's
    /**
     * Plaintext decrypted and not yet handed out that the call after the one that decrypted it did not take
     * all of, in a buffer of its exact size (see {@link #handOut}); or null. Until that call it waits in the
     * pooled plaintext buffer ({@link WireBuffers#keepPlain}).
     */
    private ByteBuffer plain;
    private boolean ended;
    /** The socket had no more bytes at the last read of it, this wire's own or the engine's (see {@link #drained()}). */
    private boolean socketDrained;
    /** The thread that reads, once it has: the only one that may switch the channel's mode (see {@link #shutdownOutput}). */
    private volatile Thread reader;

    /**
     * @param channel the connection's channel, in blocking mode
     * @param tls     its engine channel (made over {@code buffers}, with {@link EngineChannel#INLINE} tasks)
     */
    EngineWire(SocketChannel channel, EngineChannel tls, WireBuffers buffers) throws IOException {
        super(channel);
        this.tls = tls;
        this.buffers = buffers;
        this.modes = new ChannelModes(channel);
        this.output = tls.outputLock();
    }

    /**
     * Runs the server's handshake on the calling thread, the channel in blocking mode: each step's socket
     * read waits (the server's timer closes the channel at the handshake timeout), delegated tasks run
     * here. Application bytes that came with the handshake's end are kept for the first read.
     *
     * @param first the bytes already read (they start with a TLS handshake record)
     */
    void handshake(ByteBuffer first) throws IOException {
        try {
            boolean fed = false;
            while (!tls.handshakeDone()) {
                ByteBuffer scratch = buffers.plain(WireBuffers.SIZE);
                int n = fed ? tls.read(scratch, 1) : tls.read(scratch, 1, first, first.position(), first.remaining());
                fed = true;
                if (n > 0) {
                    keep(scratch.flip()); // the client's first bytes: the handshake is over
                }
                buffers.readerDone();
                if (n < 0) {
                    throw new java.io.EOFException("the client closed the connection during the TLS handshake");
                }
            }
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        } finally {
            output.lock();
            try {
                buffers.writerDone(); // the handshake's wraps
            } finally {
                output.unlock();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    @Override
    public int read(ByteBuffer dst) throws IOException {
        noteReader();
        try {
            int n = decrypt(dst, 0, 0); // what is held first; with nothing held, the wait comes at once
            while (n == 0) {
                // wait for the network in the caller's buffer, then hand the bytes to the engine, which
                // moves them into its scratch buffer before it unwraps into the same place
                int start = dst.position();
                int room = dst.remaining();
                int got = channel.read(dst);
                modes.noteThread();
                if (got < 0) {
                    ended = true;
                    socketDrained = false;
                    return -1;
                }
                socketDrained = got < room;
                dst.position(start);
                // a read that filled the room likely left more in the socket: the rest of the burst now,
                // without waiting, so that it is handled (and answered) at once
                n = got < room ? decrypt(dst, 0, got) : readNow(dst, got);
            }
            return n;
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Plaintext kept, else whole records carried and one socket read with the channel in non-blocking mode
     * while no writer is in a write (the reader holds the output lock for it), the switch a flag
     * ({@link ChannelModes#cheap()}); otherwise a count of the socket's waiting bytes, and a read only when
     * there are some.
     */
    @Override
    public int readNow(ByteBuffer dst) throws IOException {
        return readNow(dst, 0);
    }

    /** Whether plaintext is kept, to hand out before anything is read. */
    private boolean holdsPlain() {
        return plain != null || buffers.hasKept();
    }

    /** {@link #readNow(ByteBuffer)} after {@code arrived} network bytes the caller read into {@code dst} at its position. */
    private int readNow(ByteBuffer dst, int arrived) throws IOException {
        noteReader();
        if (holdsPlain()) {
            return decrypt(dst, 0, 0);
        }
        if (ended) {
            return -1;
        }
        try {
            if (modes.nonBlockingUnderneath() && output.tryLock()) {
                try {
                    return (int) modes.nonBlocking(() -> decrypt(dst, 1, arrived));
                } finally {
                    buffers.writerDone();
                    output.unlock();
                    flushAside();
                }
            }
            if (available() > 0) {
                return decrypt(dst, 1, arrived);
            }
            socketDrained = true; // the probe found nothing
            return decrypt(dst, 0, arrived);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private void noteReader() {
        if (reader == null) {
            reader = Thread.currentThread();
        }
    }

    /** {@inheritDoc} True: decrypted plaintext, whole records and the socket's bytes are all seen (see {@link #readNow}). */
    @Override
    public boolean readNowSeesAll() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The last socket read, the wire's own wait or one of the engine's, took less than it had room
     * for or found nothing, and no plaintext nor whole record is held for the next read (a partial
     * record's rest comes from the network anyway).
     */
    @Override
    public boolean drained() {
        return socketDrained && !ended && !holdsPlain() && !tls.hasBufferedInput();
    }

    /**
     * Plaintext into {@code dst}: what is kept first, else what the engine unwraps, after the {@code arrived}
     * network bytes the caller read into {@code dst} at its position, with at most {@code maxReads} socket
     * reads (in the channel's current mode); through a scratch buffer when {@code dst} cannot take a whole
     * record, which is kept, lent, with the plaintext {@code dst} had no room for.
     */
    private int decrypt(ByteBuffer dst, int maxReads, int arrived) throws IOException {
        try {
            if (holdsPlain()) {
                return handOut(dst);
            }
            if (maxReads == 0 && arrived == 0 && !tls.canReadWithoutNetwork()) {
                return 0; // the engine has nothing to do without the network: no scratch buffer taken for it
            }
            long reads = tls.socketReads();
            int n = unwrapInto(dst, maxReads, arrived);
            if (tls.socketReads() != reads) {
                socketDrained = tls.inputDrained(); // the engine read the socket after the wire did
            }
            return n;
        } finally {
            buffers.readerDone();
            if (buffers.holdsOut() && output.tryLock()) {
                try {
                    buffers.writerDone(); // the engine answered on the reading path (a key update): not under our lock
                } finally {
                    output.unlock();
                }
            }
        }
    }

    /** {@link #decrypt}'s unwrap, when no plaintext is kept. */
    private int unwrapInto(ByteBuffer dst, int maxReads, int arrived) throws IOException {
        int n;
        if (dst.remaining() >= WireBuffers.SIZE / 2) { // room for a whole record's plaintext
            n = tls.read(dst, maxReads, dst, dst.position(), arrived);
        } else {
            ByteBuffer scratch = buffers.plain(WireBuffers.SIZE);
            n = tls.read(scratch, maxReads, dst, dst.position(), arrived);
            if (n > 0) {
                int direct = Math.min(n, dst.remaining());
                dst.put(dst.position(), scratch, 0, direct);
                dst.position(dst.position() + direct);
                if (direct < n) {
                    keep(scratch.flip().position(direct)); // only what the caller's buffer had no room for
                }
                n = direct;
            }
        }
        if (n < 0) {
            ended = true;
        }
        return n;
    }

    /**
     * Keeps {@code scratch}, the plaintext buffer of this call (read mode, at what is left to hand out), lent
     * for the next read: a reader whose buffer filled reads again at once (a stream connection's read into
     * its small buffer, then into a full-size one), and that read hands it out ({@link #handOut}). None is
     * kept now.
     */
    private void keep(ByteBuffer scratch) {
        ByteBuffer kept = buffers.keepPlain();
        assert kept == scratch;
    }

    /**
     * Hands out plaintext kept by an earlier call: the pooled buffer's, kept by the call before for this one,
     * else the copy's. When {@code dst} has no room for all of the pooled buffer's, the rest moves into a
     * copy of its exact size and the pooled buffer goes back: the caller's buffer filled again and it hands
     * the bytes on, to a listener that may hold it for long (backpressure, a slow handler), so a connection
     * paused then holds only those bytes, not the pool's 36 KiB. Nothing when the wire's end gave the
     * pooled buffer back meanwhile.
     */
    private int handOut(ByteBuffer dst) {
        ByteBuffer copy = plain;
        ByteBuffer from = copy != null ? copy : buffers.takeKept();
        if (from == null) {
            return 0;
        }
        int n = Math.min(dst.remaining(), from.remaining());
        dst.put(dst.position(), from, from.position(), n);
        dst.position(dst.position() + n);
        from.position(from.position() + n);
        if (copy == null) {
            plain = from.hasRemaining() ? ByteBuffer.allocate(from.remaining()).put(from).flip() : null;
            buffers.giveBack(from);
        } else if (!copy.hasRemaining()) {
            plain = null;
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    @Override
    public void write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        output.lock();
        try {
            int end = offset + length;
            int first = offset;
            while (first < end) {
                tls.write(srcs, first, end - first); // blocking mode: what it wraps is written
                while (first < end && !srcs[first].hasRemaining()) {
                    first++;
                }
            }
            modes.noteThread();
        } finally {
            buffers.writerDone();
            output.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Wraps and writes with the channel in non-blocking mode, when the switch is a flag
     * ({@link ChannelModes#cheap()}: else 0, as a plain channel does) and no writer is in a write (else
     * 0). The ciphertext the socket does not take is kept aside and counted written: it goes out first,
     * by the flusher started for it or by the next write, whichever comes first.
     */
    @Override
    public long tryWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!modes.cheap() || !output.tryLock()) {
            return 0;
        }
        try {
            return modes.nonBlocking(() -> tls.write(srcs, offset, length));
        } finally {
            buffers.writerDone();
            output.unlock();
            flushAside();
        }
    }

    /** Starts the flusher when ciphertext was kept aside and none runs. */
    private void flushAside() {
        if (tls.hasPendingOutput() && flushing.compareAndSet(false, true)) {
            FLUSHERS.incrementAndGet();
            Thread.ofVirtual().name("ws-tls-flush").start(this::flushKept);
        }
    }

    /** The flusher: writes what is kept aside, blocking (the channel is in blocking mode). */
    private void flushKept() {
        try {
            output.lock();
            try {
                tls.flush();
            } finally {
                output.unlock();
            }
        } catch (IOException e) {
            close(); // the reader's next read says so, and the connection ends
        } finally {
            flushing.set(false);
        }
        flushAside(); // kept aside meanwhile by a write that found the flusher running
    }

    /**
     * {@inheritDoc} The close_notify (after what is kept aside), then the TCP FIN once both are out. On the
     * reading thread with the channel in non-blocking mode when the switch is cheap; on any other thread (the
     * hand-off writer) in blocking mode, as {@link #write}: switching would wait for the channel's read lock,
     * which a reader waiting for input holds until bytes come.
     */
    @Override
    public void shutdownOutput() throws IOException {
        output.lock();
        try {
            if (Thread.currentThread() == reader && modes.cheap()) {
                modes.nonBlocking(() -> {
                    tls.shutdownOutput();
                    return 0;
                });
            } else {
                tls.shutdownOutput();
            }
        } finally {
            buffers.writerDone();
            output.unlock();
            flushAside();
        }
    }

    // ------------------------------------------------------------------------------------------

    /** The reader's end: the engine's buffers go. */
    private void release() {
        plain = null;
        buffers.end();
        tls.release();
        buffers.readerDone();
    }

    /** {@inheritDoc} From any thread: the pooled buffer of plaintext kept for the reader goes back too. */
    @Override
    public void close() {
        super.close();
        buffers.end();
        tls.releaseOutput();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return tls.session();
    }

    @Override
    public String describe() {
        return super.describe() + " (" + tls + ")";
    }

    /** The engine's unwraps so far, on this wire. */
    long unwraps() {
        return tls.unwraps();
    }

    /** Pooled buffers its reading thread took so far, on this wire. */
    long scratchTakes() {
        return buffers.readerTakes();
    }

    /** Flushers started so far, over every wire of the JVM. */
    static long flushersStarted() {
        return FLUSHERS.get();
    }
}
