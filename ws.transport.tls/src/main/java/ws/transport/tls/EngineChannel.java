package ws.transport.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import ws.transport.eventloop.layer.LayerChannel;
import ws.transport.eventloop.layer.NetBuffers;

/**
 * TLS on an event-loop connection: an {@link SSLEngine} over the non-blocking socket channel. The
 * socket transports' servers run it too, under an {@link EngineWire}: over a channel in blocking mode
 * switched to non-blocking for the calls that must not wait, with delegated tasks inline
 * ({@link #INLINE}) and at most one (waiting) socket read per call.
 *
 * <ul>
 *   <li><b>Reading</b> (the loop thread): network bytes go into the loop's scratch buffer and are
 *       unwrapped straight into the loop's read buffer; only a partial record is kept between reads (a
 *       copy of its exact size), so an idle connection holds no network buffer.</li>
 *   <li><b>Handshake</b>: driven by reads; what the engine has to send is wrapped and written at once.
 *       Delegated tasks (certificate checks, key exchange) run on a virtual thread; meanwhile the loop
 *       does not select the connection, and the task's end wakes it.</li>
 *   <li><b>Writing</b> (one writer at a time: the loop's inline writes, or the hand-off writer), under a
 *       lock the handshake's and the close's wraps take too: records are wrapped into the loop's scratch
 *       buffer (on the loop) or a buffer of the call (elsewhere), written, and what the socket does not
 *       take is copied aside and goes first next time; the loop flushes it when the socket has room.</li>
 *   <li><b>The end</b>: {@link #shutdownOutput()} sends close_notify, then the TCP FIN; the peer's
 *       close_notify (or its FIN) is the end of input.</li>
 * </ul>
 */
final class EngineChannel implements LayerChannel {
    /** The header of a TLS record: type, version, length (RFC 8446 section 5.1). */
    private static final int RECORD_HEADER = 5;
    /** The largest body a record may have: 2^14 bytes of plaintext plus 2,048 of expansion (RFC 5246 section 6.2.3; RFC 8446 allows 2^14 + 256). */
    private static final int MAX_RECORD_BODY = (1 << 14) + 2048;
    /** Socket reads per {@link #read} call before the loop's other connections get their turn. */
    private static final int READS_PER_CALL = 4;
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    /** The engine's delegated tasks: a virtual thread per handshake step, never the loop. */
    private static final Executor TASKS = task -> Thread.ofVirtual().name("ws-tls-task").start(task);

    /** Connections holding network bytes now (a partial record read, or bytes the socket did not take): for tests. */
    private static final AtomicInteger HOLDING = new AtomicInteger();

    /** Names (and logs) a failed handshake: the server's or the client's rules. */
    interface Failure {
        TlsHandshakeException name(IOException error, boolean late);

        /** The handshake is done (what was noted for naming a failure may go). */
        default void done() {
        }
    }

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final NetBuffers buffers;
    private final Runnable wakeup;
    private final boolean server;
    private final Failure failure;
    private final long started = System.nanoTime();
    private final long timeoutNanos;
    /** The writer's, and the wraps of the handshake and the close. */
    private final ReentrantLock output = new ReentrantLock();

    // the loop thread's
    /** Network bytes read and not yet unwrapped (part of a record, or records the read buffer had no room for). */
    private ByteBuffer carry;
    private boolean firstByteSeen;
    /** The last socket read took less than it had room for, or nothing: the socket had no more then. */
    private boolean drained;
    /** Socket reads so far (a wire over a connection's own thread asks whether {@link #drained} is news). */
    private long socketReads;
    /** The engine's unwraps so far: for tests. */
    private long unwraps;
    private boolean inputEnded;
    private boolean failed;

    private volatile boolean taskRunning;
    private volatile boolean handshakeDone;

    // under output
    /** Wrapped bytes the socket did not take yet (read mode), or null. */
    private ByteBuffer pending;
    private volatile boolean hasPending;
    private boolean outputShut;
    private boolean finSent;

    /** The engine's delegated tasks on the caller's thread: for a connection that has a thread of its own. */
    static final Executor INLINE = Runnable::run;

    private final Executor tasks;

    /** On an event loop: delegated tasks run on virtual threads ({@link #TASKS}). */
    EngineChannel(SSLEngine engine, SocketChannel channel, NetBuffers buffers, Runnable wakeup, Failure failure,
                  long timeoutNanos) throws SSLException {
        this(engine, channel, buffers, wakeup, failure, timeoutNanos, TASKS);
    }

    /**
     * @param tasks runs the engine's delegated tasks ({@link #INLINE} on a connection's own thread); the
     *              {@code wakeup} runs after them
     */
    EngineChannel(SSLEngine engine, SocketChannel channel, NetBuffers buffers, Runnable wakeup, Failure failure,
                  long timeoutNanos, Executor tasks) throws SSLException {
        this.tasks = tasks;
        this.engine = engine;
        this.channel = channel;
        this.buffers = buffers;
        this.wakeup = wakeup;
        this.server = !engine.getUseClientMode();
        this.failure = failure;
        this.timeoutNanos = timeoutNanos;
        engine.beginHandshake();
    }

    // ------------------------------------------------------------------------------------------
    // Reading, and the handshake

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, READS_PER_CALL);
    }

    /**
     * {@link #read(ByteBuffer)} with at most {@code maxReads} socket reads (0: only what is carried). On a
     * channel in blocking mode each read waits for bytes: a connection's own thread passes 1 there, and
     * no read follows once plaintext was produced.
     */
    int read(ByteBuffer dst, int maxReads) throws IOException {
        return read(dst, maxReads, null, 0, 0);
    }

    /**
     * {@link #read(ByteBuffer, int)} after network bytes the caller read itself: {@code length} bytes of
     * {@code source} from index {@code offset} (a thread that waited for input in a buffer of its own),
     * unwrapped after what is carried. They are moved into the scratch buffer before anything is unwrapped,
     * so {@code source} may be {@code dst}, with the bytes where the plaintext goes.
     */
    int read(ByteBuffer dst, int maxReads, ByteBuffer source, int offset, int length) throws IOException {
        if (taskRunning || failed) {
            if (length > 0) {
                received(source, offset, length); // unwrapped once the task is done
            }
            return 0;
        }
        if (inputEnded) {
            return -1;
        }
        if (maxReads == 0 && length == 0 && !canReadWithoutNetwork()) {
            return 0; // nothing to unwrap, no read allowed: no buffer taken
        }
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer in = buffers.in(packet + (carry == null ? 0 : carry.remaining()) + length);
        if (carry != null) {
            in.put(carry);
            carry(null);
        }
        if (length > 0) {
            in.put(in.position(), source, offset, length);
            in.position(in.position() + length);
        }
        in.flip();
        int produced = 0;
        int reads = 0;
        boolean wasDone = handshakeDone;
        boolean eof = false;
        boolean needMore = !in.hasRemaining();
        try {
            steps:
            while (true) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NOT_HANDSHAKING && !handshakeDone) {
                    finished(); // done by a delegated task (a client certificate checked last): no result said FINISHED
                }
                if (status == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    break;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    if (!wrapHandshake()) {
                        break; // the socket is full: the loop waits for room, then reads again
                    }
                    continue;
                }
                if (needMore) {
                    if (eof || reads >= maxReads || (reads > 0 && drained)
                            || ((produced > 0 || handshakeDone != wasDone) && channel.isBlocking())) {
                        // (a read after one that left room would find nothing; a blocking read would wait
                        // with plaintext in hand, or the handshake over)
                        break;
                    }
                    in.compact();
                    int n = channel.read(in);
                    socketReads++;
                    drained = n == 0 || (n > 0 && in.hasRemaining()); // (the end of input is news)
                    in.flip();
                    reads++;
                    if (n < 0) {
                        eof = true;
                    }
                    if (n <= 0) {
                        break;
                    }
                    needMore = false;
                }
                if (server && !firstByteSeen) {
                    firstByteSeen = true;
                    int first = in.get(in.position()) & 0xff;
                    if (first != ServerLayer.HANDSHAKE_RECORD) {
                        refusePlaintext(first);
                    }
                }
                if (produced > 0 && dst.remaining() < engine.getSession().getApplicationBufferSize()) {
                    break; // the caller hands these on first; the rest is carried
                }
                if (handshakeDone && partialRecord(in)) {
                    needMore = true; // the engine would only say BUFFER_UNDERFLOW: the rest first
                    continue;
                }
                unwraps++;
                SSLEngineResult result = engine.unwrap(in, dst);
                produced += result.bytesProduced();
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    finished();
                }
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> needMore = true;
                    case BUFFER_OVERFLOW -> {
                        break steps;
                    }
                    case CLOSED -> {
                        inputEnded = true; // the peer's close_notify
                        break steps;
                    }
                    case OK -> needMore = !in.hasRemaining()
                            || (result.bytesConsumed() == 0 && result.bytesProduced() == 0);
                }
            }
        } catch (TlsHandshakeException e) {
            failed = true;
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        } finally {
            if (in.hasRemaining() && !failed) {
                carry(ByteBuffer.allocate(in.remaining()).put(in).flip());
            }
        }
        if (produced > 0) {
            finished(); // application data: the handshake is over, whatever the results said
            return produced;
        }
        if (inputEnded || eof) {
            if (!handshakeDone) {
                throw failure(new EOFException((server ? "the client" : "the server")
                        + " closed the connection during the TLS handshake"));
            }
            inputEnded = true;
            return -1;
        }
        return 0;
    }

    private void finished() {
        if (!handshakeDone) {
            handshakeDone = true;
            failure.done();
        }
    }

    /** Runs the engine's delegated tasks on a virtual thread; the loop reads again after them. */
    private void runTasks() {
        taskRunning = true;
        tasks.execute(() -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                taskRunning = false;
                wakeup.run();
            }
        });
    }

    /** Wraps and writes what the handshake sends; false when the socket did not take it all. */
    private boolean wrapHandshake() throws IOException {
        output.lock();
        try {
            if (!flushLocked()) {
                return false;
            }
            ByteBuffer net = netOut();
            SSLEngineResult result = engine.wrap(NOTHING, net);
            if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                finished();
            }
            send(net.flip());
            return !hasPending && result.getStatus() != SSLEngineResult.Status.CLOSED;
        } finally {
            output.unlock();
        }
    }

    /** A plaintext request on a TLS port: a plain-text 400 to an HTTP client, then the failure. */
    private void refusePlaintext(int first) throws TlsHandshakeException {
        byte[] answer = ServerLayer.plaintextAnswer(first);
        if (answer != null) {
            try {
                channel.write(ByteBuffer.wrap(answer)); // small: the socket takes it
                channel.shutdownOutput();
            } catch (IOException ignored) {
                // the client is gone: nothing more to tell it
            }
        }
        failed = true;
        throw failure.name(ServerLayer.notTls(safeRemote(), first), false);
    }

    /** The handshake failed: the alert the engine has for the peer goes out (best effort), then the named failure. */
    private IOException failure(Throwable error) {
        IOException io = error instanceof IOException e ? e : new SSLException(error.toString(), error);
        if (handshakeDone) {
            return io;
        }
        failed = true;
        output.lock();
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                ByteBuffer net = netOut();
                SSLEngineResult result = engine.wrap(NOTHING, net);
                channel.write(net.flip());
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the alert is a courtesy: the peer may be gone
        } finally {
            output.unlock();
        }
        return failure.name(io, late());
    }

    private boolean late() {
        return Failures.late(started, timeoutNanos);
    }

    private java.net.SocketAddress safeRemote() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        output.lock();
        try {
            if (!flushLocked()) {
                return 0;
            }
            long left = 0;
            for (int i = offset; i < offset + length; i++) {
                left += srcs[i].remaining();
            }
            long taken = 0;
            int packet = engine.getSession().getPacketBufferSize();
            ByteBuffer net = null;
            while (left > 0) {
                net = net == null ? netOut() : net.clear();
                // as many records as the buffer holds, then one write
                while (left > 0 && net.remaining() >= packet) {
                    SSLEngineResult result = engine.wrap(srcs, offset, length, net);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS output is closed");
                    }
                    taken += result.bytesConsumed();
                    left -= result.bytesConsumed();
                    while (length > 0 && !srcs[offset].hasRemaining()) {
                        offset++;
                        length--;
                    }
                    if (result.bytesConsumed() == 0) {
                        break;
                    }
                }
                send(net.flip());
                if (hasPending) {
                    break;
                }
            }
            return taken;
        } finally {
            output.unlock();
        }
    }

    @Override
    public boolean flush() throws IOException {
        output.lock();
        try {
            return flushLocked();
        } finally {
            output.unlock();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        output.lock();
        try {
            if (outputShut) {
                return;
            }
            outputShut = true;
            engine.closeOutbound();
            ByteBuffer net = netOut();
            engine.wrap(NOTHING, net); // close_notify
            send(net.flip());
            if (!hasPending) {
                finSent = true;
                channel.shutdownOutput();
            }
        } finally {
            output.unlock();
        }
    }

    /** Writes {@code net} (read mode) after what is pending; keeps what the socket does not take. */
    private void send(ByteBuffer net) throws IOException {
        if (!net.hasRemaining()) {
            return;
        }
        if (pending == null) {
            channel.write(net);
            if (net.hasRemaining()) {
                pending(ByteBuffer.allocate(net.remaining()).put(net).flip());
            }
        } else {
            pending(ByteBuffer.allocate(pending.remaining() + net.remaining()).put(pending).put(net).flip());
        }
    }

    /** Writes what is pending; whether nothing is. The FIN follows the close_notify once it is out. */
    private boolean flushLocked() throws IOException {
        if (pending != null) {
            channel.write(pending);
            if (pending.hasRemaining()) {
                return false;
            }
            pending(null);
        }
        if (outputShut && !finSent) {
            finSent = true;
            channel.shutdownOutput();
        }
        return true;
    }

    /** Carries {@code length} network bytes of {@code source} from {@code offset}, after what is carried already. */
    private void received(ByteBuffer source, int offset, int length) {
        int carried = carry == null ? 0 : carry.remaining();
        ByteBuffer joined = ByteBuffer.allocate(carried + length);
        if (carry != null) {
            joined.put(carry);
        }
        joined.put(carried, source, offset, length);
        carry(joined.position(carried + length).flip());
    }

    /** The lock of every write, wrap and flush: a wire that switches the channel's mode holds it meanwhile. */
    ReentrantLock outputLock() {
        return output;
    }

    /** Drops the wrapped bytes not yet written (the connection is closed); from any thread. */
    void releaseOutput() {
        output.lock();
        try {
            pending(null);
        } finally {
            output.unlock();
        }
    }

    /** Keeps {@code bytes} (or nothing) read and not yet unwrapped; on the loop thread. */
    private void carry(ByteBuffer bytes) {
        if ((carry == null) != (bytes == null)) {
            HOLDING.addAndGet(bytes == null ? -1 : 1);
        }
        carry = bytes;
    }

    /** Keeps {@code bytes} (or nothing) wrapped and not yet written; under the output lock. */
    private void pending(ByteBuffer bytes) {
        if ((pending == null) != (bytes == null)) {
            HOLDING.addAndGet(bytes == null ? -1 : 1);
        }
        pending = bytes;
        hasPending = bytes != null;
    }

    /** Network buffers held by connections now, over every connection of the JVM (0 when all are idle). */
    static int buffersHeld() {
        return HOLDING.get();
    }

    /** The loop's scratch buffer on the loop, else one of this call's own. */
    private ByteBuffer netOut() {
        int size = engine.getSession().getPacketBufferSize();
        return buffers.usable() ? buffers.out(size) : ByteBuffer.allocate(size);
    }

    // ------------------------------------------------------------------------------------------

    @Override
    public boolean hasPendingOutput() {
        return hasPending;
    }

    @Override
    public boolean wantsInput() {
        return !taskRunning;
    }

    @Override
    public boolean hasBufferedInput() {
        if (inputEnded) {
            return true; // the peer's close_notify, unwrapped behind data: the next read says -1
        }
        ByteBuffer c = carry;
        return c != null && c.hasRemaining() && !partialRecord(c); // a whole record: no need to wait for the network
    }

    /**
     * Whether {@code bytes} (read mode) begin with less than one TLS record (RFC 8446 section 5.1: a 5-byte
     * header whose last two bytes are the length of what follows), so that an unwrap could only ask for
     * more: part of a header, or a header and less than its length. A length beyond any record's is not
     * partial: the engine's unwrap names that error. False for no bytes.
     */
    static boolean partialRecord(ByteBuffer bytes) {
        int have = bytes.remaining();
        if (have == 0) {
            return false;
        }
        if (have < RECORD_HEADER) {
            return true;
        }
        int length = ((bytes.get(bytes.position() + 3) & 0xff) << 8) | (bytes.get(bytes.position() + 4) & 0xff);
        return have < RECORD_HEADER + length && length <= MAX_RECORD_BODY;
    }

    @Override
    public boolean inputDrained() {
        return drained;
    }

    /**
     * Whether a {@link #read} allowed no socket read could do anything: a whole record carried, the end of
     * input unwrapped, or the engine with handshake steps to take (a key update to answer). Not for part of
     * a record: its rest comes from the network. On the reading thread.
     */
    boolean canReadWithoutNetwork() {
        return hasBufferedInput() || engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING;
    }

    /** How many times {@link #read} has called the engine's unwrap. */
    long unwraps() {
        return unwraps;
    }

    /** How many times {@link #read} has read the socket: a change says {@link #inputDrained()} is about a new read. */
    long socketReads() {
        return socketReads;
    }

    @Override
    public boolean handshakeDone() {
        return handshakeDone;
    }

    @Override
    public Optional<SSLSession> session() {
        return handshakeDone ? Optional.of(engine.getSession()) : Optional.empty();
    }

    @Override
    public void release() {
        if (!handshakeDone && !failed && late()) {
            failed = true;
            failure.name(new SocketTimeoutException("TLS handshake timed out"), true); // named in the log
        }
        carry(null);
        releaseOutput();
    }

    @Override
    public String toString() {
        return "TLS " + (server ? "server" : "client") + " engine, " + (handshakeDone ? engine.getSession().getProtocol() : "handshaking");
    }
}
