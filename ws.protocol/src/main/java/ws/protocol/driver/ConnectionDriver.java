package ws.protocol.driver;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
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

import static ws.protocol.driver.ListenerCalls.ANY;
import static ws.protocol.driver.ListenerCalls.ON_BINARY;
import static ws.protocol.driver.ListenerCalls.ON_FRAGMENT;
import static ws.protocol.driver.ListenerCalls.ON_PING;
import static ws.protocol.driver.ListenerCalls.ON_PONG;
import static ws.protocol.driver.ListenerCalls.ON_TEXT;

/**
 * Everything about one connection that is not reading or writing bytes: the I/O-free driver around
 * the sans-I/O engine that every transport shares. A transport reads and hands the bytes to
 * {@link #receive}; the driver feeds the engine under its lock, queues the output in two lanes
 * (control frames ahead of data at frame boundaries), has it written through the transport's
 * {@link Sink} by one writer at a time, and dispatches the events to the listener on the calling
 * thread, releasing the lock first so that the listener may send.
 *
 * <p>It owns: event-to-listener dispatch (callbacks of one connection never run concurrently, since
 * only the reading thread calls {@link #receive}); the 1011 policy for a listener that throws; holding
 * the close frame that answers the peer until the events read before it were handled (RFC 6455
 * section 5.5.1); the keepalive ping and the dead-peer deadline, the idle timeout, the handshake and
 * close timeouts (all on the host's {@link Scheduler}); backpressure ({@link #bufferedAmount()} exact,
 * the high-water policies {@code WAIT}, {@code FAIL}, {@code CLOSE}); send futures; and the end: once
 * the engine is closed, its output is written and then ended (the engine's end-of-output, a half-close),
 * and the transport is closed only after the peer ended its own output or the close timeout passed, so
 * that a client never closes the TCP connection before the server (RFC 6455 section 7.1.1).
 *
 * <p>This class holds the connection's state and its handshake, event and timer handling; the other
 * duties are package-private classes of static methods over its fields, so that no part costs an
 * object per connection: {@code EngineCalls}, {@code SendPath}, {@code Backpressure},
 * {@code ListenerCalls}, {@code Closing}, {@code ConnectionEnd} and {@code ConnectionFutures}.
 *
 * <p>A transport's loop, on the connection's own thread:
 * <pre>{@code
 * driver.start(sink, alreadyRead);              // or openFailed(e) when no connection could be made
 * try {
 *     while ((n = read(buffer)) >= 0) { driver.receive(buffer.flip()); buffer.clear(); }
 *     driver.receiveEof();
 * } catch (IOException e) {
 *     driver.readFailed(e);
 * } finally {
 *     driver.finish();                          // closes the sink, calls onClose last
 * }
 * }</pre>
 */
public final class ConnectionDriver implements WebSocket {
    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    final ConnectionHost host;
    final Protocol engine;
    final ReentrantLock lock = new ReentrantLock();
    /** Events the engine produced, in order; dispatched only by the reading thread. Guarded by {@link #lock}. */
    /** Made by the first events (most reads give an event or two) and dropped when the connection goes idle. */
    ArrayDeque<ProtocolEvent> inbox;
    /** Made on first use: most connections never have attributes. */
    private volatile Map<String, Object> attributes;
    /*
     * The futures and the read pause are made when first asked for (most server connections are never
     * asked), by ConnectionFutures; what they complete with is kept in a field of its own, and
     * whichever of the maker and the completer comes second completes them.
     */
    volatile CompletableFuture<CloseStatus> closeFuture;
    volatile CompletableFuture<WebSocket> openFuture;
    volatile CompletableFuture<Void> terminated;
    /** What {@link #closeFuture} completes with, once {@link #finish} knows it. */
    volatile CloseStatus closedWith;
    /** How the opening ended: this connection (open), or the Throwable why not; null while undecided. */
    volatile Object openOutcome;
    /** {@link #finish} has run. */
    volatile boolean finished;
    /**
     * The end's input part ran (the engine told of the end, its last events dispatched): done once, by
     * {@link #finishWithoutWaiting} or {@link #finish}, on the reading thread or the one it starts after.
     */
    boolean inputEnded;
    volatile ReadPause readPause;
    /** The read pause is released for good (made later, it is made released). */
    volatile boolean pauseReleased;
    volatile boolean aborting;

    volatile Sink sink;
    /** What to close while the sink is still being made (a TCP socket during a connect or a TLS handshake). */
    volatile java.io.Closeable raw;
    private volatile boolean handshakeTimerArmed;
    /**
     * The outgoing queue while there is output (made by the first output, under {@link #lock}), null
     * while there is none: dropped when the opening handshake is written, after a keepalive ping, after a
     * pong is handled and at each timer tick if nothing is queued or being written ({@link #shedOutbound}), so that an idle
     * connection keeps no queue, lock or buffer array for output it may never have.
     */
    volatile Outbound outbound;
    /**
     * The opening handshake's answer while it waits for the end of the pump that made it (or for the
     * first outgoing queue, which takes it first): null otherwise. Guarded by {@link #lock}.
     */
    volatile EngineCalls.Answer answer;
    /** Outgoing queues made so far (each a queue, its locks and arrays): for tests. Guarded by {@link #lock}. */
    int outputQueuesMade;
    /** Bytes written by the queues dropped so far, and by the reading thread without a queue. Guarded by {@link #lock}. */
    long writtenBefore;
    /**
     * The pump that opened the connection drops the queue once the handshake is written, and one that
     * dispatched a pong what the keepalive's ping and pong made ({@link #shedAfterPong}). Reading thread only.
     */
    private boolean shedAfterPump;
    /** The thread in {@link #pump}: its sends are flushed once, after the batch. */
    volatile Thread pumpThread;
    /**
     * The reader is dispatching one read's events: its own sends are flushed once, after the batch
     * ({@link #pump}), unless the queue grows past {@link SendPath#DEFER_LIMIT}. Reading thread only.
     */
    boolean deferFlush;
    volatile ProtocolState state = ProtocolState.CONNECTING;
    volatile WebSocketListener listener;
    private volatile HandshakeRequest request;
    /** A server connection's request, packed once open ({@link PackedRequest}); {@link #request} is then null. */
    private volatile byte[] packedRequest;
    /**
     * The opening handshake completed: the engine's subprotocol and extensions, set before and never
     * after, are read from it once this is seen ({@link #subprotocol()}), not copied.
     */
    volatile boolean opened;
    volatile boolean ended;
    volatile boolean listenerFailed;
    volatile Throwable listenerError;
    /** The application called {@link #close}: sends after it are misuse and throw. */
    volatile boolean closeCalled;
    /** A read failure was reported: the engine's "input ended mid-frame" that follows is the same error. */
    private boolean errorReported;
    /** The peer broke the protocol: sends from threads other than the reader are refused (see dispatch). */
    volatile boolean failing;
    /**
     * The status to report instead of the engine's bare 1006 (a timeout, a network error): the first
     * cause recorded, set only through {@code Closing.firstCause} (a compare-and-set).
     */
    volatile CloseStatus abortStatus;
    /** Why a client's opening handshake failed, for its connect future. */
    volatile Throwable handshakeError;
    /**
     * Keepalive and idle deadlines, decided on the host's clock(), and when the bytes being dispatched
     * were read; the action of the connection's one running timer.
     */
    final Liveness liveness;
    CloseStatus finalStatus;
    boolean closeTimerArmed; // guarded by lock
    volatile Future<?> handshakeTimer = NONE;
    volatile Future<?> closeTimer = NONE;
    /** Keepalive and idle timeout, whichever is due first (see {@link #startTimers}). */
    volatile Future<?> timer = NONE;
    /** When the opening handshake completed, on the host's clock(). */
    long openedAt;
    /** Who started the end; null until someone does. Guarded by {@link #lock}. */
    ConnectionObserver.Initiator initiator;
    /** Bytes read and whole messages received: the reading thread's. */
    long bytesIn;
    long messagesIn;
    /** Messages queued for sending. Guarded by {@link #lock}. */
    long messagesOut;

    private static final Future<?> NONE = CompletableFuture.completedFuture(null);

    // The host's parts, asked for each time rather than copied into every connection (they are its fields).
    DriverLogger log() {
        return host.logger();
    }

    ConnectionObserver observer() {
        return host.observer();
    }

    Scheduler clock() {
        return host.scheduler();
    }

    ConnectionOptions options() {
        return host.connectionOptions();
    }

    private ConnectionDriver(ConnectionHost host, Protocol engine, WebSocketListener listener) {
        this.id = "ws-" + IDS.incrementAndGet();
        this.host = host;
        this.engine = engine;
        this.listener = listener;
        this.liveness = new Liveness(this, options(), clock().nanoTime());
        // answers to the messages read together with the peer's close go out before our close frame
        // (RFC 6455 section 5.5.1, "as soon as practical"): the engine holds it until pump() releases it
        engine.holdClose(true);
    }

    /** A server connection: it reads an opening request, and the host decides on it. */
    public static ConnectionDriver server(ConnectionHost host) {
        return new ConnectionDriver(host, ServerProtocol.create(host.protocolConfig()), null);
    }

    /**
     * A server connection whose opening request the transport's HTTP phase already read and parsed
     * ({@code headBytes} bytes, counted as read): the head is not parsed again. Give {@link #start}
     * only what followed the head.
     */
    public static ConnectionDriver server(ConnectionHost host, HandshakeRequest request, int headBytes) {
        ConnectionDriver driver = new ConnectionDriver(host,
                ServerProtocol.create(host.protocolConfig(), request), null);
        driver.counted(headBytes);
        // its handshake is decided and answered within start(): no handshake timer unless start leaves it
        // still connecting (see start), rather than one armed and cancelled for every connection
        driver.handshakeTimerArmed = true;
        return driver;
    }

    /** A client connection that sends {@code engine}'s opening request and reports to {@code listener}. */
    public static ConnectionDriver client(ConnectionHost host, ClientProtocol engine, WebSocketListener listener) {
        ConnectionDriver connection = new ConnectionDriver(host, engine, listener);
        connection.request = engine.request();
        connection.chooseDelivery(listener);
        return connection;
    }

    /**
     * Registers what to close while the sink is being made (a TCP socket during its connect or a TLS
     * handshake), so that an abort (the handshake timer, a closing client or server) fails it now.
     */
    public void connecting(java.io.Closeable socket) {
        raw = socket;
        if (aborting) {
            closeQuietly(socket);
        }
    }

    /**
     * The TCP connection exists: the handshake timeout starts (once), covering any layer's handshake.
     * A server connection made from a parsed request ({@link #server(ConnectionHost, HandshakeRequest, int)})
     * ignores this: its transport's HTTP phase bounded the time until the request, and {@link #start}
     * decides and answers it.
     */
    public void handshakeStarts() {
        if (!handshakeTimerArmed) {
            handshakeTimerArmed = true;
            armHandshakeTimer();
        }
    }

    static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    /** Completes after {@code onOpen}, or fails with why the connection never opened. */
    public CompletableFuture<WebSocket> openFuture() {
        return ConnectionFutures.openFuture(this);
    }

    /** Completes when {@link #finish()} has run. */
    public CompletableFuture<Void> terminated() {
        return ConnectionFutures.terminated(this);
    }

    /** The opening ended with {@code outcome} (this connection, or a Throwable): once. */
    void opening(Object outcome) {
        ConnectionFutures.opening(this, outcome);
    }

    /**
     * Where the reading thread waits for the application inside a callback (a stream's room, a
     * subscriber's demand); released when the connection ends.
     */
    public ReadPause readPause() {
        return ConnectionFutures.readPause(this);
    }

    /** The connection ends: a waiting reader wakes, and every later wait returns at once. */
    void releaseReadPause() {
        ConnectionFutures.releaseReadPause(this);
    }

    /** Runs application work that the reading thread feeds (a streamed message's handler): the host's tasks. */
    public java.util.concurrent.Executor tasks() {
        return host.tasks();
    }

    private void chooseDelivery(WebSocketListener chosen) {
        ListenerCalls.chooseDelivery(this, chosen);
    }

    /** Whether the opening handshake succeeded and the connection has not ended. */
    public boolean isOpen() {
        return opened && !ended;
    }

    /**
     * Whether the connection holds an outgoing queue now: only from its first output until it goes idle
     * (the opening handshake written, a keepalive ping written, a timer tick with nothing queued). For
     * tests and diagnostics of what an idle connection costs.
     */
    public boolean holdsOutputQueue() {
        return outbound != null;
    }

    /**
     * The bytes of the buffers the engine keeps now for the next message and output
     * ({@link Protocol#retainedBytes()}): 0 for a connection gone idle. For tests and diagnostics.
     */
    public long retainedBufferBytes() {
        lock.lock();
        try {
            return engine.retainedBytes();
        } finally {
            lock.unlock();
        }
    }

    /** Which side this connection plays. */
    public Side side() {
        return engine.side();
    }

    // ------------------------------------------------------------------------------------------
    // What the transport's loop calls, on the connection's own thread

    /**
     * No connection could be made (a connect, a TLS handshake failed): reported to the listener as
     * an error; {@link #finish()} follows.
     */
    public void openFailed(Throwable error) {
        // a timeout or an abort may have caused this by closing the socket: report that
        Throwable why = handshakeError != null ? handshakeError : error;
        log().debug("{}: could not connect: {}", id, why.toString());
        if (handshakeError == null) {
            handshakeError = error;
        }
        Closing.firstCause(this, lostBy(error));
        callListener(l -> l.onError(this, why), false);
    }

    /**
     * The status of a connection lost to {@code error}: 1015 "TLS handshake failure" (RFC 6455 section
     * 7.4.1, never sent on the wire) for a failed TLS handshake, 1006 otherwise.
     */
    private static CloseStatus lostBy(Throwable error) {
        return new CloseStatus(error instanceof javax.net.ssl.SSLHandshakeException ? CloseCodes.TLS_HANDSHAKE
                : CloseCodes.ABNORMAL_CLOSURE, "", error);
    }

    /**
     * The connection exists: writes go to {@code sink}; {@code alreadyRead} holds bytes of its input
     * consumed elsewhere (or null). A client's opening request is written now.
     */
    public void start(Sink connected, java.nio.ByteBuffer alreadyRead) {
        pumpThread = Thread.currentThread();
        liveness.read(clock().nanoTime());
        sink = connected;
        handshakeStarts();
        if (aborting) {
            connected.close();
        }
        try {
            withEngine(null, null);
            if (alreadyRead != null && alreadyRead.hasRemaining()) {
                counted(alreadyRead.remaining());
                withEngine(e -> e.receiveData(alreadyRead), null);
            }
            pump();
        } finally {
            if (state == ProtocolState.CONNECTING && handshakeTimer == NONE && !ended) {
                armHandshakeTimer(); // a server connection made from a parsed request did not open within start
            }
        }
    }

    /**
     * Bytes read from the connection, all consumed (the engine copies what it keeps, so the buffer
     * may be reused at once). Dispatches the events they give, then writes what was sent meanwhile.
     */
    public void receive(ByteBuffer data) {
        liveness.read(clock().nanoTime());
        if (!data.hasRemaining()) {
            return;
        }
        counted(data.remaining());
        if (state == ProtocolState.CLOSED) {
            data.position(data.limit()); // lingering: input after the end is read and dropped
            return;
        }
        withEngine(e -> e.receiveData(data), null);
        pump();
    }

    private void counted(int read) {
        bytesIn += read;
        observer().bytesRead(read);
    }

    /** The peer ended its output (TCP FIN). */
    public void receiveEof() {
        log().debug("{}: end of input", id);
        liveness.read(clock().nanoTime());
        withEngine(Protocol::receiveEof, null);
        pump();
    }

    /**
     * Writes what the engine answered by itself, dispatches the events (the listener's sends on this
     * thread are queued, not flushed one by one), releases the peer's close if the engine held it,
     * then writes everything in one go: inline as far as the sink takes it at once, the rest by the
     * hand-off writer.
     */
    private void pump() {
        EngineCalls.flushInline(this);
        pumpThread = Thread.currentThread();
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
            Outbound answers = outbound; // made by the listener's first send if there was none
            if (answers != null) {
                EngineCalls.collectDeferred(this, answers); // the read's answers, one item for all of them
            }
        }
        EngineCalls.flushInline(this);
        if (shedAfterPump) {
            shedAfterPump = false;
            shedOutbound();
        }
    }

    /** Has the hand-off writer write what is queued, if anything is. */
    void flushAsync() {
        EngineCalls.flushAsync(this);
    }

    /**
     * A pong was dispatched by the reading thread's pump, most often the answer to the keepalive ping
     * on a connection otherwise idle: once the pump is done, what the ping and the pong made (the
     * inbox, the engine's control buffer, its frame reader and writer) goes, as it went after the 101,
     * rather than staying until the next timer tick. Dropped only if idle, as at every tick.
     */
    private void shedAfterPong() {
        if (dispatchingOnReader()) {
            shedAfterPump = true;
        }
    }

    /** Whether the calling thread is the reader, dispatching one read's events in {@link #pump}. */
    boolean dispatchingOnReader() {
        return deferFlush && Thread.currentThread() == pumpThread;
    }

    /** Drops the outgoing queue, the empty inbox and the engine's buffers if the connection is idle. */
    private void shedOutbound() {
        EngineCalls.shed(this);
    }

    /** Reading failed (a reset, or the driver closed the sink: an abort, a timeout). */
    public void readFailed(IOException error) {
        CloseStatus override = abortStatus;
        if (aborting) {
            log().debug("{}: aborted ({})", id, override);
            if (override != null && override.cause() != null && state != ProtocolState.CLOSED) {
                Throwable cause = override.cause();
                callListener(l -> l.onError(this, cause), false);
            }
        } else if (state != ProtocolState.CLOSED) {
            log().debug("{}: read failed: {}", id, error.toString());
            Closing.firstCause(this, lostBy(error)); // a timeout's abort may have come first: it wins
            callListener(l -> l.onError(this, error), false);
        }
        errorReported = true;
        ConnectionEnd.endInput(this);
    }

    /**
     * Everything ends here, once, on the connection's own thread, after its input ended or failed:
     * the output is written and ended (bounded by the close timeout, whose timer closes the sink),
     * the sink closed, timers cancelled, and {@code onClose} called last ({@code ConnectionEnd}).
     */
    public void finish() {
        ConnectionEnd.finish(this);
    }

    /**
     * {@link #finish} on this thread if it need not wait: no output is left to write and end, and no
     * writer holds the outgoing queue when it is discarded (tried, never waited for). Otherwise it
     * stops before anything that would wait and returns {@code false}: {@link #finish} must then run
     * on a thread that may block (an event loop hands it off, where most connections end with their
     * output already ended and need no thread). It never blocks on the output.
     */
    public boolean finishWithoutWaiting() {
        return ConnectionEnd.finishWithoutWaiting(this);
    }

    // ------------------------------------------------------------------------------------------
    // The engine, under the lock: EngineCalls

    void withEngine(Consumer<Protocol> call, CompletableFuture<Void> future) {
        EngineCalls.withEngine(this, call, future);
    }

    // ------------------------------------------------------------------------------------------
    // Events, on the reader thread

    void dispatchInbox() {
        while (true) {
            ProtocolEvent event;
            lock.lock();
            try {
                ArrayDeque<ProtocolEvent> queue = inbox;
                event = queue == null ? null : queue.poll();
            } finally {
                lock.unlock();
            }
            if (event == null) {
                return;
            }
            handle(event);
        }
    }

    /** A message (or a fragment) arrived: it counts for the idle timeout at the time of its read, no clock read each. */
    private void messageReceived() {
        if (liveness.tracksMessages()) {
            liveness.message(liveness.lastRead());
        }
    }

    /** A whole message arrived: counted for this connection and the observer, and for the idle timeout. */
    private void wholeMessageReceived() {
        messagesIn++;
        observer().messageReceived();
        messageReceived();
    }

    private void handle(ProtocolEvent event) {
        switch (event) {
            case ProtocolEvent.RequestReceived received -> onRequest(received.request());
            case ProtocolEvent.HttpRequestReceived received -> onHttpRequest(received.request());
            case ProtocolEvent.Opened open -> onOpened(open);
            case ProtocolEvent.Rejected rejected -> onRejected(rejected);
            case ProtocolEvent.TextMessage text -> {
                wholeMessageReceived();
                callListener(ON_TEXT, text.text());
            }
            case ProtocolEvent.BinaryMessage binary -> {
                wholeMessageReceived();
                callListener(ON_BINARY, binary.data());
            }
            case ProtocolEvent.Fragment fragment -> {
                messageReceived();
                callListener(ON_FRAGMENT, fragment);
            }
            case ProtocolEvent.Ping ping -> callListener(ON_PING, ping.payload());
            case ProtocolEvent.Pong pong -> {
                callListener(ON_PONG, pong.payload());
                shedAfterPong();
            }
            case ProtocolEvent.CloseReceived close -> log().debug("{}: close received: {}", id, close.status());
            case ProtocolEvent.Failed failed -> {
                // from now on only this thread's answers to what came before the failure go out (the
                // engine holds its close for them): a thread woken by the failure (a streamed
                // message's handler) must not send the rest of a message the peer broke
                failing = true;
                CloseStatus status = failed.status();
                log().debug("{}: failed: {}", id, status);
                if (status.cause() instanceof ws.protocol.ProtocolViolationException) {
                    observer().protocolViolation(this, status);
                }
                if (errorReported) {
                    // the read failure behind it (a reset in the middle of a frame) was reported
                    return;
                }
                Throwable cause = status.cause() != null ? status.cause()
                        : new IOException("connection failed: " + status);
                if (opened || side() == Side.CLIENT) {
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
            decision = host.decide(received, sink.remoteAddress());
        } catch (RuntimeException e) {
            log().warn("{}: deciding the upgrade of {} failed", id, received.target(), e);
            decision = new UpgradeDecision.Reject(HandshakeResponse.text(500, "the server failed to decide the upgrade"), e);
        }
        ServerProtocol server = (ServerProtocol) engine;
        if (decision instanceof UpgradeDecision.Accept accept) {
            listener = accept.listener();
            chooseDelivery(listener);
            if (!accept.attributes().isEmpty()) {
                attributes().putAll(accept.attributes());
            }
            try {
                EngineCalls.withEngineAnswering(this, e -> server.accept(accept.subprotocol(), accept.headers()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                log().warn("{}: accepting the upgrade of {} failed: {}", id, received.target(), e.getMessage());
                listener = null;
                withEngine(en -> server.reject(HandshakeResponse.text(500, "the server could not accept: "
                        + e.getMessage())), null);
            }
        } else if (decision instanceof UpgradeDecision.Reject reject) {
            log().debug("{}: upgrade of {} rejected with {}", id, received.target(), reject.response().status());
            withEngine(e -> server.reject(reject.response()), null);
        }
    }

    /** Plain HTTP is served before a connection exists (the transport's HTTP phase): only upgrade requests reach here. */
    private void onHttpRequest(HandshakeRequest received) {
        request = received;
        log().warn("{}: a plain HTTP request reached the WebSocket driver: {}", id, received.target());
        withEngine(e -> ((ServerProtocol) engine).respond(HandshakeResponse.text(500, "not a WebSocket request")), null);
    }

    private void onOpened(ProtocolEvent.Opened open) {
        request = open.request();
        long now = clock().nanoTime();
        liveness.opened(now);
        openedAt = now;
        opened = true;
        handshakeTimer.cancel(false);
        handshakeTimer = NONE; // a cancelled task still holds its action (and this connection's strings)
        host.opened(this);
        observer().opened(this);
        if (log().debugEnabled()) {
            log().debug("{}: open on {} ({})", id, request.path(), sink.describe());
        }
        if (side() == Side.SERVER) {
            byte[] packed = PackedRequest.pack(request);
            if (packed != null) {
                packedRequest = packed;
                request = null; // after the packed form is visible: request() sees one or the other
            }
        }
        startTimers();
        shedAfterPump = true; // the 101 response is written at the end of this pump: then nothing is queued
        callListener(l -> l.onOpen(this), false);
        opening(listenerFailed ? listenerError : this);
    }

    private void onRejected(ProtocolEvent.Rejected rejected) {
        HandshakeRequest asked = request;
        if (side() == Side.SERVER) {
            log().debug("{}: bad opening handshake: {} {}", id, rejected.error().status(), rejected.error().getMessage());
            observer().handshakeRejected(remoteAddress(), asked == null ? null : asked.target(),
                    rejected.error().status(), rejected.error().getMessage());
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
        if (rejected.response() != null || rejected.error().status() != 0) {
            // the server answered, and not with a valid 101 (an end of input before any answer is no rejection)
            observer().handshakeRejected(remoteAddress(), asked == null ? null : asked.target(),
                    rejected.response() != null ? rejected.response().status() : rejected.error().status(),
                    rejected.error().getMessage());
        }
        Closing.firstCause(this, new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", rejected.error()));
        callListener(l -> l.onError(this, rejected.error()), false);
    }

    /** Calls the listener through {@code ListenerCalls} (a lambda: not for every message). */
    private void callListener(Consumer<WebSocketListener> callback, boolean evenAfterFailure) {
        ListenerCalls.call(this, ANY, callback, evenAfterFailure);
    }

    /** Calls the listener through {@code ListenerCalls} with a static callback and its value (no object per call). */
    private <T> void callListener(ListenerCalls.Callback<T> callback, T value) {
        ListenerCalls.call(this, callback, value, false);
    }

    // ------------------------------------------------------------------------------------------
    // Timers

    private void armHandshakeTimer() {
        Duration timeout = options().handshakeTimeout();
        handshakeTimer = clock().schedule(timeout.toNanos(), id, "handshake-timeout", () -> {
            if (!opened && !ended && state == ProtocolState.CONNECTING) {
                TimeoutException error = new TimeoutException("opening handshake not done within " + timeout);
                handshakeError = error;
                timedOut(error);
            }
        });
    }

    /** A timer ran out (the opening handshake, the close handshake, a keepalive pong): aborted with 1006 and why. */
    private void timedOut(TimeoutException error) {
        log().debug("{}: {}", id, error.getMessage());
        abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
    }

    void armCloseTimer() {
        lock.lock();
        try {
            if (closeTimerArmed) {
                return;
            }
            closeTimerArmed = true;
        } finally {
            lock.unlock();
        }
        Duration timeout = options().closeTimeout();
        closeTimer = clock().schedule(timeout.toNanos(), id, "close-timeout", () -> {
            if (ended) {
                return;
            }
            if (state != ProtocolState.CLOSED) {
                timedOut(new TimeoutException("the peer did not finish the close handshake within " + timeout));
            } else {
                log().debug("{}: the peer did not close the TCP connection within {}", id, timeout);
                aborting = true;
                Sink s = sink;
                if (s != null) {
                    s.close();
                }
            }
        });
    }

    /**
     * Starts the connection's one running timer, which serves both keepalive and the idle timeout
     * ({@link Liveness}): one scheduled task per open connection, re-armed for whichever deadline
     * comes first, rather than one per duty: idle connections are many.
     */
    private void startTimers() {
        if (liveness.enabled()) {
            timerTick();
        }
    }

    /** The connection's one timer fired ({@link Liveness#run}): what is due is done, and the timer armed again. */
    void timerTick() {
        if (ended || state != ProtocolState.OPEN) {
            return;
        }
        long now = clock().nanoTime();
        ReadPause pause = readPause;
        if (pause != null && pause.isWaiting()) {
            // the application holds the input back (a stream's full buffer, no Flow demand): what the
            // peer sent meanwhile, pongs included, waits unread; neither dead nor idle
            liveness.read(now);
            liveness.message(now);
        }
        Liveness.Due due = liveness.due(now);
        switch (due.kind()) {
            case IDLE -> {
                log().debug("{}: idle for {}, closing", id, options().idleTimeout());
                try {
                    startClose(CloseCodes.GOING_AWAY, "idle timeout", false);
                } catch (IllegalStateException closing) {
                    // closed meanwhile
                }
                return;
            }
            case DEAD -> {
                timedOut(new TimeoutException("no pong within " + options().pongTimeout() + " after a keepalive ping"));
                return;
            }
            case PING -> {
                try {
                    ByteBuffer payload = ByteBuffer.allocate(8).putLong(0, now);
                    // once written, an otherwise idle connection drops its queue again
                    send(0, false, Protocol::sendPing, payload).whenComplete((written, failed) -> shedOutbound());
                } catch (IllegalStateException closing) {
                    return;
                }
            }
            case WAIT -> shedOutbound(); // what the application sent meanwhile is written by now, most likely
        }
        Future<?> next = clock().schedule(due.waitNanos(), id, "timer", liveness); // it runs timerTick
        timer = next;
        if (ended) {
            // finish ran meanwhile and may have cancelled the timer this replaced: cancel this one too, so a
            // closed connection is not kept reachable until it would fire (ended and timer are both volatile:
            // finish sets ended before reading timer, this writes timer before reading ended)
            next.cancel(false);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Failing and aborting from any thread: Closing

    /** Closes the socket now; the reader reports {@code status} unless the engine already closed. */
    public void abortWith(CloseStatus status) {
        Closing.abortWith(this, status);
    }

    /** Server shutdown: 1001 to an open connection, an abort for one still in its handshake. */
    public void goingAway() {
        Closing.goingAway(this);
    }

    // ------------------------------------------------------------------------------------------
    // Sending, from any thread: SendPath, admitted by Backpressure

    private <T> CompletableFuture<Void> send(long size, boolean message, BiConsumer<Protocol, T> call, T value) {
        return SendPath.send(this, size, message, call, value, false);
    }

    /**
     * Broadcast: never blocks the broadcaster, never throws for this one connection, and skips a
     * connection that is not open or (unless its policy is {@code CLOSE}) over its high-water mark at
     * the cost of a failed future whose exception is shared by every such skip (made once, not per
     * connection and message).
     */
    public CompletableFuture<Void> sendBroadcast(PreparedMessage message) {
        return SendPath.sendBroadcast(this, message);
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
        if (!opened) {
            return "";
        }
        String agreed = engine.subprotocol(); // set before the connection opened, and never again
        return agreed == null ? "" : agreed;
    }

    @Override
    public List<ExtensionParameters> extensions() {
        return opened ? engine.extensions() : List.of(); // an unmodifiable list, set before the connection opened
    }

    @Override
    public SocketAddress remoteAddress() {
        Sink w = sink;
        return w == null ? null : w.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        Sink w = sink;
        return w == null ? null : w.localAddress();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> tlsSession() {
        Sink w = sink;
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
        return send(Backpressure.textSize(this, text), true, Protocol::sendText, text);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        return send(Backpressure.textSize(this, part), true, (e, p) -> e.sendText(p, last), part);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return send(data.remaining(), true, Protocol::sendBinary, data);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        return send(part.remaining(), true, (e, p) -> e.sendBinary(p, last), part);
    }

    @Override
    public CompletableFuture<Void> send(PreparedMessage message) {
        return send(message.payload().remaining(), true, Protocol::sendPrepared, message);
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer payload) {
        return send(payload.remaining(), false, Protocol::sendPing, payload);
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        return send(payload.remaining(), false, Protocol::sendPong, payload);
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
        return Closing.startClose(this, code, reason, byApplication);
    }

    @Override
    public void abort() {
        abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"));
    }

    @Override
    public CompletableFuture<CloseStatus> closeFuture() {
        return ConnectionFutures.closeFuture(this);
    }

    @Override
    public String toString() {
        Sink w = sink;
        return "WebSocket[" + id + ", " + readyState() + (w == null ? "" : ", " + w.remoteAddress()) + "]";
    }

}
