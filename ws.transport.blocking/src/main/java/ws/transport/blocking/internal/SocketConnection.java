package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
import ws.protocol.api.BackpressureException;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.ReadyState;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.engine.Protocol;
import ws.protocol.engine.ProtocolEvent;
import ws.protocol.engine.ProtocolState;
import ws.protocol.engine.ServerProtocol;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.server.UpgradeDecision;

/**
 * One connection on a socket: the thin loop of the design around a sans-I/O engine.
 *
 * <p><b>The reader thread</b> (one per connection, from the transport's thread factory) reads into a
 * buffer, feeds the engine under {@link #lock}, moves the engine's output to the {@link Outbound}
 * queue and its events to {@link #inbox} (still under the lock, so both keep the engine's order),
 * releases the lock, has the output written, then dispatches the events to the listener. Only this
 * thread calls the listener, so callbacks never run concurrently.
 *
 * <p><b>Application sends</b>, from any thread, take the same lock to call the engine and queue its
 * bytes, then release it. Nobody writes under the engine lock. A sender never writes on its own
 * thread: the connection's writer (a virtual thread started when bytes are queued and no writer is
 * active, {@link Outbound#flushAsync}) drains the queue in gathering writes. The reader batches: the
 * sends its listener makes while one read's events are dispatched are written once, after them, on
 * the reader thread as far as the socket takes them without waiting ({@link Outbound#flushInline});
 * only the rest goes to the writer. A blocked write (a peer that stopped reading) therefore never
 * stops reading (two peers writing to each other while neither reads would deadlock) and never holds
 * a sender for longer than the backpressure policy says.
 *
 * <p><b>Ending.</b> Once the engine is {@code CLOSED}, the reader writes what is left, sends FIN,
 * reads and discards until the peer's FIN (RFC 6455 section 7.1.1: the server closes first, the
 * client waits for it; a lingering close also keeps unread input from turning our last frame into a
 * reset), bounded by the close timeout, then closes the socket and calls {@code onClose} last.
 */
public final class SocketConnection implements WebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** Queued bytes above which even the reader's sends during a dispatch are handed to the writer at once. */
    private static final long DEFER_LIMIT = 256 << 10;

    /**
     * Opens the wire on the connection's own thread: a client's TCP connect, a layer's wrapping (TLS).
     * It registers the TCP socket with {@link #rawSocket} first, so an abort can close it meanwhile,
     * and calls {@link #handshakeStarts} once the TCP connection exists.
     */
    @FunctionalInterface
    interface WireOpener {
        Wire open(SocketConnection connection) throws IOException;
    }

    private final String id;
    private final ConnectionHost host;
    private final ConnectionOptions options;
    private final Protocol engine;
    private final WireOpener opener;
    /** Bytes of the request read before this connection existed (its HTTP phase); dropped once fed. Reader thread only. */
    private ByteBuffer prefix;
    private final ReentrantLock lock = new ReentrantLock();
    /** Events the engine produced, in order; dispatched only by the reader thread. Guarded by {@link #lock}. */
    private final ArrayDeque<ProtocolEvent> inbox = new ArrayDeque<>();
    /** Made on first use: most connections never have attributes. */
    private volatile Map<String, Object> attributes;
    private final CompletableFuture<CloseStatus> closeFuture = new CompletableFuture<>();
    private final CompletableFuture<WebSocket> openFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final AtomicBoolean aborting = new AtomicBoolean();

    private volatile Wire wire;
    /** The TCP socket under the wire, registered before the wire exists. */
    private volatile java.io.Closeable raw;
    private volatile boolean handshakeTimerArmed;
    private volatile Outbound outbound;
    private volatile Thread reader;
    /**
     * The reader is dispatching one read's events: its own sends are flushed once, after the batch
     * ({@link #pump}), unless the queue grows past {@link #DEFER_LIMIT}. Reader thread only.
     */
    private boolean deferFlush;
    private volatile ProtocolState state = ProtocolState.CONNECTING;
    private volatile WebSocketListener listener;
    private volatile HandshakeRequest request;
    /** A server connection's request, packed once open ({@link PackedRequest}); {@link #request} is then null. */
    private volatile byte[] packedRequest;
    private volatile String subprotocol = "";
    private volatile List<ExtensionParameters> extensions = List.of();
    private volatile boolean opened;
    private volatile boolean ended;
    private volatile boolean listenerFailed;
    private volatile Throwable listenerError;
    /** The application called {@link #close}: sends after it are misuse and throw. */
    private volatile boolean closeCalled;
    /** A read failure was reported: the engine's "input ended mid-frame" that follows is the same error. */
    private boolean errorReported;
    /** The status to report instead of the engine's bare 1006 (a timeout, a network error). */
    private volatile CloseStatus abortStatus;
    /** Why a client's opening handshake failed, for its connect future. */
    private volatile Throwable handshakeError;
    private volatile long lastReadNanos;
    private volatile long lastMessageNanos;
    private volatile long pingSentNanos;
    private CloseStatus finalStatus;
    private boolean closeTimerArmed; // guarded by lock
    private volatile Future<?> handshakeTimer = Timers.NONE;
    private volatile Future<?> closeTimer = Timers.NONE;
    /** Keepalive and idle timeout, whichever is due first (see {@link #startTimers}). */
    private volatile Future<?> timer = Timers.NONE;
    /** A keepalive ping was sent and nothing was read since. */
    private volatile boolean pingPending;

    private SocketConnection(ConnectionHost host, Protocol engine, WireOpener opener, ByteBuffer prefix,
                             WebSocketListener listener) {
        this.id = "ws-" + IDS.incrementAndGet();
        this.host = host;
        this.options = host.connectionOptions();
        this.engine = engine;
        this.opener = opener;
        this.prefix = prefix;
        this.listener = listener;
        // every time the loop measures comes from the owner's clock (a manual one in ws.testkit)
        this.lastReadNanos = host.timers().nanoTime();
        this.lastMessageNanos = lastReadNanos;
        // answers to the messages read together with the peer's close go out before our close frame
        // (RFC 6455 section 5.5.1, "as soon as practical"): the engine holds it until pump() releases it
        engine.holdClose(true);
    }

    /**
     * A server connection on an accepted socket; {@code opener} makes its wire (wrapping it in the
     * transport's layer); {@code alreadyRead} holds request bytes consumed elsewhere.
     */
    static SocketConnection server(ConnectionHost host, java.io.Closeable socket, WireOpener opener,
                                   ByteBuffer alreadyRead) {
        ServerProtocol engine = ServerProtocol.create(host.connectionOptions().protocolConfig());
        SocketConnection connection = new SocketConnection(host, engine, opener, alreadyRead, null);
        connection.raw = socket;
        return connection;
    }

    /**
     * Registers the TCP socket while the wire is being made, so that an abort (the handshake timer,
     * a closing client or server) closes it.
     */
    void rawSocket(java.io.Closeable socket) {
        raw = socket;
        if (aborting.get()) {
            closeQuietly(socket);
        }
    }

    /** The TCP connection exists: the handshake timeout starts (once), covering any layer's handshake. */
    void handshakeStarts() {
        if (!handshakeTimerArmed) {
            handshakeTimerArmed = true;
            armHandshakeTimer();
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    /** A client connection; {@code opener} makes the TCP connection on the connection's thread. */
    static SocketConnection client(ConnectionHost host, ClientProtocol engine, WireOpener opener,
                                   WebSocketListener listener) {
        SocketConnection connection = new SocketConnection(host, engine, opener, null, listener);
        connection.request = engine.request();
        return connection;
    }

    /** Completes after {@code onOpen} (client), or fails with why the connection never opened. */
    CompletableFuture<WebSocket> openFuture() {
        return openFuture;
    }

    /** Completes when the reader thread has finished everything. */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** The reader thread, once started. */
    Thread readerThread() {
        return reader;
    }

    boolean isOpen() {
        return opened && !ended;
    }

    // ------------------------------------------------------------------------------------------
    // The reader loop

    /** Runs the connection to its end on the calling thread. */
    void run() {
        reader = Thread.currentThread();
        try {
            if (engineSide() == Side.SERVER) {
                handshakeStarts(); // the TCP connection was accepted: a layer's handshake counts too
            }
            try {
                wire = opener.open(this);
            } catch (IOException | RuntimeException e) {
                // a timeout or an abort may have caused this by closing the socket: report that
                Throwable why = handshakeError != null ? handshakeError : e;
                LOG.debug("{}: could not connect: {}", id, why.toString());
                if (handshakeError == null) {
                    handshakeError = e;
                }
                if (abortStatus == null) {
                    // 1015: "TLS handshake failure" (RFC 6455 section 7.4.1), never sent on the wire
                    abortStatus = new CloseStatus(e instanceof javax.net.ssl.SSLHandshakeException
                            ? CloseCodes.TLS_HANDSHAKE : CloseCodes.ABNORMAL_CLOSURE, "", e);
                }
                callListener(l -> l.onError(this, why), false);
                return;
            }
            outbound = new Outbound(wire, id, this::writeFailed);
            handshakeStarts();
            if (aborting.get()) {
                wire.close();
            }
            withEngine(null, null);
            ByteBuffer early = prefix;
            prefix = null; // an idle connection keeps nothing of its request's bytes
            if (early != null && early.hasRemaining()) {
                withEngine(e -> e.receiveData(early), null);
            }
            pump();
            readLoop();
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: connection loop failed", id, e);
            if (abortStatus == null) {
                abortStatus = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", e);
            }
        } finally {
            finish();
        }
    }

    private void readLoop() {
        ReadBuffers buffers = new ReadBuffers(host.settings().readBufferSize());
        Wire w = wire;
        try {
            while (state != ProtocolState.CLOSED) {
                ByteBuffer buffer = buffers.current();
                int n = w.read(buffer);
                if (n < 0) {
                    LOG.debug("{}: end of input", id);
                    withEngine(Protocol::receiveEof, null);
                    pump();
                    break;
                }
                lastReadNanos = host.timers().nanoTime();
                if (n == 0) {
                    continue;
                }
                buffer.flip();
                if (state != ProtocolState.CLOSED) {
                    withEngine(e -> e.receiveData(buffer), null);
                }
                // the engine copied what it keeps: the buffer may go back to the pool
                buffers.afterRead(n);
                pump();
            }
        } catch (IOException e) {
            buffers.release();
            readFailed(e);
            return;
        } finally {
            buffers.release();
        }
        // the engine may have closed on another thread (a failure the transport enforced): its
        // events wait in the inbox
        dispatchInbox();
        linger(buffers.resident());
    }

    /**
     * Writes what the engine answered by itself, dispatches the events (the listener's sends on this
     * thread are queued, not flushed one by one), releases the peer's close if the engine held it, then
     * writes everything in one go: inline as far as the socket takes it at once, the rest by the
     * hand-off writer (see {@link Outbound}). Reader thread only.
     */
    private void pump() {
        Outbound out = outbound;
        out.flushInline();
        deferFlush = true;
        try {
            dispatchInbox();
            if (state == ProtocolState.CLOSE_RECEIVED) {
                // the listener has answered what came before the peer's close: now the close frame
                withEngine(Protocol::releaseClose, null);
                dispatchInbox();
            }
        } finally {
            deferFlush = false;
        }
        out.flushInline();
    }

    private void readFailed(IOException error) {
        CloseStatus override = abortStatus;
        if (aborting.get()) {
            LOG.debug("{}: aborted ({})", id, override);
            if (override != null && override.cause() != null && state != ProtocolState.CLOSED) {
                Throwable cause = override.cause();
                callListener(l -> l.onError(this, cause), false);
            }
        } else if (state != ProtocolState.CLOSED) {
            LOG.debug("{}: read failed: {}", id, error.toString());
            abortStatus = new CloseStatus(error instanceof javax.net.ssl.SSLHandshakeException
                    ? CloseCodes.TLS_HANDSHAKE : CloseCodes.ABNORMAL_CLOSURE, "", error);
            callListener(l -> l.onError(this, error), false);
        }
        errorReported = true;
        if (state != ProtocolState.CLOSED) {
            withEngine(Protocol::receiveEof, null);
        }
        dispatchInbox();
    }

    /**
     * The engine is closed: write what is left, send FIN, read until the peer's FIN, all within the
     * close timeout (the close timer closes the socket when it fires).
     */
    private void linger(ByteBuffer buffer) {
        armCloseTimer();
        Outbound out = outbound;
        Wire w = wire;
        try {
            out.flushAsync();
            // a wait on the wall clock even under a manual clock: it ends early when the close timer
            // (on the owner's clock) closes the wire and the output fails
            if (!out.awaitEmpty(System.nanoTime() + options.closeTimeout().toNanos())) {
                return;
            }
            if (out.failure() != null || !w.isOpen()) {
                return;
            }
            try {
                w.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                return;
            }
            buffer.clear();
            while (w.read(buffer) >= 0) {
                buffer.clear();
            }
        } catch (IOException expected) {
            // the peer reset, or the close timer closed the socket: either way we are done
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything ends here, once, on the reader thread. */
    private void finish() {
        try {
            if (outbound != null) {
                try {
                    if (state != ProtocolState.CLOSED) {
                        withEngine(Protocol::receiveEof, null);
                    }
                    dispatchInbox();
                } catch (RuntimeException e) {
                    LOG.debug("{}: engine failed at end of input", id, e);
                }
            }
        } finally {
            ended = true;
            Wire w = wire;
            if (w != null) {
                w.close();
            }
            java.io.Closeable socket = raw;
            if (socket != null) {
                closeQuietly(socket);
            }
            handshakeTimer.cancel(false);
            closeTimer.cancel(false);
            timer.cancel(false);
            Outbound out = outbound;
            if (out != null) {
                out.discard(new IOException("connection " + id + " closed before the bytes were written"));
            }
            CloseStatus status = finalStatus;
            if (status == null) {
                CloseStatus override = abortStatus;
                status = override != null ? override : new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "");
            }
            host.ended(this);
            LOG.debug("{}: closed {}", id, status);
            CloseStatus last = status;
            if (opened || engineSide() == Side.CLIENT) {
                callListener(l -> l.onClose(this, last), true);
            }
            closeFuture.complete(status);
            if (!openFuture.isDone()) {
                Throwable why = handshakeError;
                if (why == null) {
                    why = status.cause() != null ? status.cause()
                            : new IOException("connection closed during the opening handshake: " + status);
                }
                openFuture.completeExceptionally(why);
            }
            terminated.complete(null);
        }
    }

    private Side engineSide() {
        return engine instanceof ClientProtocol ? Side.CLIENT : Side.SERVER;
    }

    // ------------------------------------------------------------------------------------------
    // The engine, under the lock

    /**
     * Calls the engine under the lock (when {@code call} is not null), then moves its output to the
     * queue (with {@code future} on the last of it) and its events to the inbox.
     */
    private void withEngine(Consumer<Protocol> call, CompletableFuture<Void> future) {
        lock.lock();
        try {
            if (call != null) {
                call.accept(engine);
            }
            collectLocked(future);
        } finally {
            lock.unlock();
        }
    }

    private void collectLocked(CompletableFuture<Void> future) {
        List<ByteBuffer> output = engine.dataToSend();
        Outbound out = outbound;
        if (out != null && (!output.isEmpty() || future != null)) {
            out.enqueue(output, future);
        }
        inbox.addAll(engine.events());
        ProtocolState now = engine.state();
        state = now;
        if (!closeTimerArmed && (now == ProtocolState.CLOSED || engine.closeExpected())) {
            armCloseTimer();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Events, on the reader thread

    private void dispatchInbox() {
        while (true) {
            ProtocolEvent event;
            lock.lock();
            try {
                event = inbox.poll();
            } finally {
                lock.unlock();
            }
            if (event == null) {
                return;
            }
            handle(event);
        }
    }

    private void handle(ProtocolEvent event) {
        switch (event) {
            case ProtocolEvent.RequestReceived received -> onRequest(received.request());
            case ProtocolEvent.HttpRequestReceived received -> onHttpRequest(received.request());
            case ProtocolEvent.Opened open -> onOpened(open);
            case ProtocolEvent.Rejected rejected -> onRejected(rejected);
            case ProtocolEvent.TextMessage text -> {
                lastMessageNanos = host.timers().nanoTime();
                callListener(l -> l.onText(this, text.text()), false);
            }
            case ProtocolEvent.BinaryMessage binary -> {
                lastMessageNanos = host.timers().nanoTime();
                callListener(l -> l.onBinary(this, binary.data()), false);
            }
            case ProtocolEvent.Ping ping -> callListener(l -> l.onPing(this, ping.payload()), false);
            case ProtocolEvent.Pong pong -> callListener(l -> l.onPong(this, pong.payload()), false);
            case ProtocolEvent.CloseReceived close -> LOG.debug("{}: close received: {}", id, close.status());
            case ProtocolEvent.Failed failed -> {
                CloseStatus status = failed.status();
                LOG.debug("{}: failed: {}", id, status);
                if (errorReported) {
                    // the read failure behind it (a reset in the middle of a frame) was reported
                    return;
                }
                Throwable cause = status.cause() != null ? status.cause()
                        : new IOException("connection failed: " + status);
                if (opened || engineSide() == Side.CLIENT) {
                    callListener(l -> l.onError(this, cause), false);
                }
            }
            case ProtocolEvent.Closed closed -> {
                CloseStatus status = closed.status();
                CloseStatus override = abortStatus;
                if (override != null && status.code() == CloseCodes.ABNORMAL_CLOSURE) {
                    status = override;
                }
                finalStatus = status;
            }
        }
    }

    private void onRequest(HandshakeRequest received) {
        request = received;
        UpgradeDecision decision;
        try {
            decision = host.decide(received, wire.remoteAddress());
        } catch (RuntimeException e) {
            LOG.warn("{}: deciding the upgrade of {} failed", id, received.target(), e);
            decision = new UpgradeDecision.Reject(HandshakeResponse.text(500, "the server failed to decide the upgrade"), e);
        }
        ServerProtocol server = (ServerProtocol) engine;
        if (decision instanceof UpgradeDecision.Accept accept) {
            listener = accept.listener();
            if (!accept.attributes().isEmpty()) {
                attributes().putAll(accept.attributes());
            }
            try {
                withEngine(e -> server.accept(accept.subprotocol(), accept.headers()), null);
            } catch (IllegalArgumentException | IllegalStateException e) {
                LOG.warn("{}: accepting the upgrade of {} failed: {}", id, received.target(), e.getMessage());
                listener = null;
                withEngine(en -> server.reject(HandshakeResponse.text(500, "the server could not accept: "
                        + e.getMessage())), null);
            }
        } else if (decision instanceof UpgradeDecision.Reject reject) {
            LOG.debug("{}: upgrade of {} rejected with {}", id, received.target(), reject.response().status());
            withEngine(e -> server.reject(reject.response()), null);
        }
    }

    /** Plain HTTP is served before a connection exists ({@link HttpSession}): only upgrade requests reach here. */
    private void onHttpRequest(HandshakeRequest received) {
        request = received;
        LOG.warn("{}: a plain HTTP request reached the WebSocket loop: {}", id, received.target());
        withEngine(e -> ((ServerProtocol) engine).respond(HandshakeResponse.text(500, "not a WebSocket request")), null);
    }

    private void onOpened(ProtocolEvent.Opened open) {
        request = open.request();
        subprotocol = open.subprotocol() == null ? "" : open.subprotocol();
        extensions = List.copyOf(open.extensions());
        long now = host.timers().nanoTime();
        lastMessageNanos = now;
        lastReadNanos = now;
        opened = true;
        handshakeTimer.cancel(false);
        handshakeTimer = Timers.NONE; // a cancelled task still holds its action (and this connection's strings)
        host.opened(this);
        LOG.debug("{}: open on {} ({})", id, request.path(), wire.describe());
        if (engineSide() == Side.SERVER) {
            byte[] packed = PackedRequest.pack(request);
            if (packed != null) {
                packedRequest = packed;
                request = null; // after the packed form is visible: request() sees one or the other
            }
        }
        startTimers();
        callListener(l -> l.onOpen(this), false);
        if (listenerFailed) {
            openFuture.completeExceptionally(listenerError);
        } else {
            openFuture.complete(this);
        }
    }

    private void onRejected(ProtocolEvent.Rejected rejected) {
        if (engineSide() == Side.SERVER) {
            LOG.debug("{}: bad opening handshake: {} {}", id, rejected.error().status(), rejected.error().getMessage());
            return;
        }
        if (handshakeError != null) {
            // the handshake already failed for a reason of ours (a timeout, an abort), reported then;
            // the engine's rejection only says the input ended
            return;
        }
        CloseStatus network = abortStatus;
        if (network != null && network.cause() instanceof IOException failed) {
            // the read failed first (a TLS alert after the TLS handshake, a reset): that is the cause to
            // report, not the bare end of input it led to; onError already had it
            handshakeError = failed;
            return;
        }
        handshakeError = rejected.error();
        abortStatus = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", rejected.error());
        callListener(l -> l.onError(this, rejected.error()), false);
    }

    /**
     * Calls the listener unless a callback already failed; a callback that throws gets
     * {@code onError}, then the connection fails with 1011.
     */
    private void callListener(Consumer<WebSocketListener> callback, boolean evenAfterFailure) {
        WebSocketListener target = listener;
        if (target == null || (listenerFailed && !evenAfterFailure)) {
            return;
        }
        try {
            callback.accept(target);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            listenerThrew(target, e);
        }
    }

    private void listenerThrew(WebSocketListener target, Throwable error) {
        if (ended) {
            LOG.warn("{}: onClose threw", id, error);
            return;
        }
        if (listenerFailed) {
            LOG.warn("{}: listener threw again", id, error);
            return;
        }
        listenerFailed = true;
        listenerError = error;
        LOG.warn("{}: listener threw; failing the connection with 1011", id, error);
        try {
            target.onError(this, error);
        } catch (RuntimeException | LinkageError | AssertionError again) {
            LOG.warn("{}: onError threw too", id, again);
        }
        if (state != ProtocolState.CLOSED && state != ProtocolState.CONNECTING) {
            withEngine(e -> e.fail(CloseCodes.INTERNAL_ERROR, "internal error", error), null);
            Outbound out = outbound;
            if (out != null) {
                out.flushAsync();
            }
        } else if (state == ProtocolState.CONNECTING) {
            abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Timers

    private void armHandshakeTimer() {
        Duration timeout = options.handshakeTimeout();
        handshakeTimer = host.timers().scheduleNanos(timeout.toNanos(), id, "handshake-timeout", () -> {
            if (!opened && !ended && state == ProtocolState.CONNECTING) {
                TimeoutException error = new TimeoutException("opening handshake not done within " + timeout);
                LOG.debug("{}: {}", id, error.getMessage());
                handshakeError = error;
                abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
            }
        });
    }

    private void armCloseTimer() {
        lock.lock();
        try {
            if (closeTimerArmed) {
                return;
            }
            closeTimerArmed = true;
        } finally {
            lock.unlock();
        }
        Duration timeout = options.closeTimeout();
        closeTimer = host.timers().scheduleNanos(timeout.toNanos(), id, "close-timeout", () -> {
            if (ended) {
                return;
            }
            if (state != ProtocolState.CLOSED) {
                TimeoutException error = new TimeoutException("the peer did not finish the close handshake within " + timeout);
                LOG.debug("{}: {}", id, error.getMessage());
                abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
            } else {
                LOG.debug("{}: the peer did not close the TCP connection within {}", id, timeout);
                aborting.set(true);
                wire.close();
            }
        });
    }

    /**
     * Starts the connection's one running timer, which serves both keepalive (a ping after
     * {@code pingInterval} without input, the connection aborted when nothing arrives within
     * {@code pongTimeout} of it) and the idle timeout (closing with 1001 after {@code idleTimeout}
     * without a message either way). One scheduled task per open connection, re-armed for whichever
     * deadline comes first, rather than one per duty: idle connections are many.
     */
    private void startTimers() {
        if (options.pingInterval().isZero() && options.idleTimeout().isZero()) {
            return;
        }
        timerTick();
    }

    private void timerTick() {
        if (ended || state != ProtocolState.OPEN) {
            return;
        }
        long now = host.timers().nanoTime();
        long next = Long.MAX_VALUE;
        long idle = options.idleTimeout().toNanos();
        if (idle > 0) {
            long quiet = now - lastMessageNanos;
            if (quiet >= idle) {
                LOG.debug("{}: idle for {}, closing", id, options.idleTimeout());
                try {
                    startClose(CloseCodes.GOING_AWAY, "idle timeout", false);
                } catch (IllegalStateException closing) {
                    // closed meanwhile
                }
                return;
            }
            next = idle - quiet;
        }
        long interval = options.pingInterval().toNanos();
        if (interval > 0) {
            long pongTimeout = options.pongTimeout().toNanos();
            if (pingPending && lastReadNanos - pingSentNanos >= 0) {
                pingPending = false; // something arrived since the ping: the peer is alive
            }
            if (pingPending) {
                long waited = now - pingSentNanos;
                if (waited >= pongTimeout) {
                    TimeoutException error = new TimeoutException("no pong within " + options.pongTimeout()
                            + " after a keepalive ping");
                    LOG.debug("{}: {}", id, error.getMessage());
                    abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
                    return;
                }
                next = Math.min(next, pongTimeout - waited);
            } else {
                long quiet = now - lastReadNanos;
                if (quiet >= interval) {
                    pingSentNanos = now;
                    pingPending = true;
                    try {
                        ByteBuffer payload = ByteBuffer.allocate(8).putLong(0, now);
                        send(0, false, e -> e.sendPing(payload));
                    } catch (IllegalStateException closing) {
                        return;
                    }
                    next = Math.min(next, pongTimeout);
                } else {
                    next = Math.min(next, interval - quiet);
                }
            }
        }
        timer = host.timers().scheduleNanos(next, id, "timer", this::timerTick);
    }

    // ------------------------------------------------------------------------------------------
    // Failing and aborting from any thread

    /** Closes the socket now; the reader reports {@code status} unless the engine already closed. */
    void abortWith(CloseStatus status) {
        if (state != ProtocolState.CLOSED && abortStatus == null) {
            abortStatus = status;
        }
        aborting.set(true);
        Wire w = wire;
        if (w != null) {
            w.close();
        } else {
            java.io.Closeable socket = raw;
            if (socket != null) {
                closeQuietly(socket); // the wire is still being made: a connect or a layer's handshake fails now
            }
        }
    }

    private void writeFailed(IOException error) {
        if (ended) {
            return;
        }
        LOG.debug("{}: write failed: {}", id, error.toString());
        abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
    }

    /** Fails the connection with {@code code} (a policy the transport enforces) and has the close frame written. */
    private void failConnection(int code, String reason, Throwable cause) {
        withEngine(e -> {
            if (e.state() != ProtocolState.CLOSED) {
                e.fail(code, reason, cause);
            }
        }, null);
        Outbound out = outbound;
        if (out != null) {
            out.flushAsync();
        }
    }

    /** Server shutdown: 1001 to an open connection, an abort for one still in its handshake. */
    void goingAway() {
        if (opened && state == ProtocolState.OPEN) {
            try {
                startClose(CloseCodes.GOING_AWAY, "server shutting down", false);
                return;
            } catch (IllegalStateException closing) {
                // closing already
            }
        }
        if (!opened) {
            abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "server shutting down"));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sending, from any thread

    private CompletableFuture<Void> send(long size, boolean message, Consumer<Protocol> call) {
        return send(size, message, call, false);
    }

    /**
     * Calls the engine under the lock and has the bytes written by the hand-off writer: a sender
     * never blocks on the network (a stalled peer would hold it for as long as it stalls); it waits
     * only under {@link BackpressurePolicy#WAIT}, bounded by the close timeout.
     */
    private CompletableFuture<Void> send(long size, boolean message, Consumer<Protocol> call, boolean broadcast) {
        Outbound out = outbound;
        if (out == null || !opened) {
            throw new IllegalStateException("connection " + id + " is not open yet: " + readyState());
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (message && !makeRoom(out, size, future, broadcast)) {
            return future;
        }
        lock.lock();
        try {
            ProtocolState now = engine.state();
            // CLOSE_RECEIVED: the peer's close is held while the listener answers what came before it
            if (now != ProtocolState.OPEN && now != ProtocolState.CLOSE_RECEIVED && !closeCalled) {
                // closing not by the application's own close(): the peer's close frame (perhaps read
                // with the message being answered), a failure, a timeout or a shutdown. Not misuse:
                // the send fails as the API says, "the connection closed first".
                future.completeExceptionally(new IOException("connection " + id + " is closing ("
                        + now + "): the send was not made"));
                return future;
            }
            call.accept(engine);
            collectLocked(future);
        } finally {
            lock.unlock();
        }
        if (message) {
            lastMessageNanos = host.timers().nanoTime();
        }
        if (!(deferFlush && Thread.currentThread() == reader && out.bufferedAmount() <= DEFER_LIMIT)) {
            out.flushAsync();
        }
        return future;
    }

    /**
     * Applies the backpressure policy: whether a message of {@code size} bytes may be queued now.
     * Nothing queued means room for any message, so one larger than the mark is never refused forever.
     */
    private boolean makeRoom(Outbound out, long size, CompletableFuture<Void> future, boolean broadcast) {
        long mark = options.highWaterMark();
        long buffered = out.bufferedAmount();
        if (buffered == 0 || buffered + size <= mark) {
            return true;
        }
        BackpressurePolicy policy = options.backpressure();
        if (broadcast && policy == BackpressurePolicy.WAIT) {
            // a broadcaster never waits for one slow client
            policy = BackpressurePolicy.FAIL;
        }
        if (policy == BackpressurePolicy.WAIT && out.isWriterThread()) {
            // a send from an action chained to an earlier send's future runs on the writer, which
            // alone makes room: it must not wait for itself, and its bytes go right after
            return true;
        }
        switch (policy) {
            case WAIT -> {
                out.flushAsync(); // a deferred flush (the reader's own sends) must not wait for itself
                Duration bound = options.closeTimeout();
                try {
                    if (out.awaitRoom(size, mark, System.nanoTime() + bound.toNanos())) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    future.completeExceptionally(e);
                    return false;
                }
                IOException failed = out.failure();
                future.completeExceptionally(failed != null ? failed
                        : new BackpressureException("buffered amount " + out.bufferedAmount() + " + " + size
                        + " stayed above the high-water mark " + mark + " for " + bound));
                return false;
            }
            case FAIL -> {
                future.completeExceptionally(new BackpressureException("buffered amount " + buffered + " + " + size
                        + " > high-water mark " + mark));
                return false;
            }
            case CLOSE -> {
                BackpressureException error = new BackpressureException("buffered amount " + buffered + " + " + size
                        + " > high-water mark " + mark + ": closing with 1008");
                future.completeExceptionally(error);
                LOG.debug("{}: {}", id, error.getMessage());
                failConnection(CloseCodes.POLICY_VIOLATION, "send buffer over the high-water mark", error);
                return false;
            }
        }
        return false;
    }

    /** Broadcast: never blocks the broadcaster, never throws for this one connection. */
    CompletableFuture<Void> sendBroadcast(PreparedMessage message) {
        if (!opened || ended || state != ProtocolState.OPEN) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection " + id + " is " + readyState()));
        }
        try {
            CompletableFuture<Void> future = send(message.payload().remaining(), true,
                    e -> e.sendPrepared(message), true);
            future.whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.debug("{}: broadcast not delivered: {}", id, error.toString());
                }
            });
            return future;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The UTF-8 length of {@code text}, without encoding it. */
    static long utf8Length(CharSequence text) {
        long length = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    // ------------------------------------------------------------------------------------------
    // WebSocket

    @Override
    public String id() {
        return id;
    }

    @Override
    public ReadyState readyState() {
        if (ended) {
            return ReadyState.CLOSED;
        }
        return switch (state) {
            case CONNECTING -> ReadyState.CONNECTING;
            case OPEN -> ReadyState.OPEN;
            case CLOSE_SENT, CLOSE_RECEIVED, CLOSED -> ReadyState.CLOSING;
        };
    }

    @Override
    public HandshakeRequest request() {
        HandshakeRequest kept = request;
        if (kept != null) {
            return kept;
        }
        byte[] packed = packedRequest;
        return packed != null ? PackedRequest.unpack(packed) : null;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return extensions;
    }

    @Override
    public SocketAddress remoteAddress() {
        Wire w = wire;
        return w == null ? null : w.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        Wire w = wire;
        return w == null ? null : w.localAddress();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> tlsSession() {
        Wire w = wire;
        return w == null ? java.util.Optional.empty() : w.tlsSession();
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            lock.lock();
            try {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>();
                    attributes = map;
                }
            } finally {
                lock.unlock();
            }
        }
        return map;
    }

    @Override
    public long bufferedAmount() {
        Outbound out = outbound;
        return out == null ? 0 : out.bufferedAmount();
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return send(utf8Length(text), true, e -> e.sendText(text));
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        return send(utf8Length(part), true, e -> e.sendText(part, last));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return send(data.remaining(), true, e -> e.sendBinary(data));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        return send(part.remaining(), true, e -> e.sendBinary(part, last));
    }

    @Override
    public CompletableFuture<Void> send(PreparedMessage message) {
        return send(message.payload().remaining(), true, e -> e.sendPrepared(message));
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer payload) {
        return send(payload.remaining(), false, e -> e.sendPing(payload));
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        return send(payload.remaining(), false, e -> e.sendPong(payload));
    }

    /**
     * Starts the close handshake; the bytes are written by a hand-off thread, so this never blocks on
     * a stalled peer. The close timer bounds the wait for the peer's answer.
     */
    @Override
    public CompletableFuture<CloseStatus> close(int code, String reason) {
        return startClose(code, reason, true);
    }

    /** The close handshake, started by the application or by the transport (idle timeout, shutdown). */
    private CompletableFuture<CloseStatus> startClose(int code, String reason, boolean byApplication) {
        if (ended) {
            return closeFuture;
        }
        Outbound out = outbound;
        if (out == null || !opened) {
            abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "closed before the handshake completed"));
            return closeFuture;
        }
        withEngine(e -> {
            // once closing, the handshake is under way and another close frame is not sent
            if (e.state() == ProtocolState.OPEN) {
                e.sendClose(code, reason);
            }
            if (byApplication) {
                closeCalled = true; // under the lock, and only once the code and reason were accepted
            }
        }, null);
        out.flushAsync();
        return closeFuture;
    }

    @Override
    public void abort() {
        abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"));
    }

    @Override
    public CompletableFuture<CloseStatus> closeFuture() {
        return closeFuture;
    }

    @Override
    public String toString() {
        Wire w = wire;
        return "WebSocket[" + id + ", " + readyState() + (w == null ? "" : ", " + w.remoteAddress()) + "]";
    }

    /** For tests: the last moment bytes were read. */
    long lastReadNanos() {
        return lastReadNanos;
    }

    static long millis(Duration duration) {
        return Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}
