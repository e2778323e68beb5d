package ws.protocol.driver;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
import ws.protocol.api.BackpressureException;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.FragmentListener;
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
    /** Queued bytes above which even the reader's sends during a dispatch are handed to the writer at once. */
    private static final long DEFER_LIMIT = 256 << 10;

    private final String id;
    private final ConnectionHost host;
    private final Protocol engine;
    private final ReentrantLock lock = new ReentrantLock();
    /** Events the engine produced, in order; dispatched only by the reading thread. Guarded by {@link #lock}. */
    /** Made by the first events (most reads give an event or two) and dropped when the connection goes idle. */
    private ArrayDeque<ProtocolEvent> inbox;
    /** Made on first use: most connections never have attributes. */
    private volatile Map<String, Object> attributes;
    /*
     * The futures and the read pause are made when first asked for (most server connections are never
     * asked), through the VarHandles below; what they complete with is kept in a field of its own, and
     * whichever of the maker and the completer comes second completes them.
     */
    private volatile CompletableFuture<CloseStatus> closeFuture;
    private volatile CompletableFuture<WebSocket> openFuture;
    private volatile CompletableFuture<Void> terminated;
    /** What {@link #closeFuture} completes with, once {@link #finish} knows it. */
    private volatile CloseStatus closedWith;
    /** How the opening ended: this connection (open), or the Throwable why not; null while undecided. */
    private volatile Object openOutcome;
    /** {@link #finish} has run. */
    private volatile boolean finished;
    private volatile ReadPause readPause;
    /** The read pause is released for good (made later, it is made released). */
    private volatile boolean pauseReleased;
    private volatile boolean aborting;

    private volatile Sink sink;
    /** What to close while the sink is still being made (a TCP socket during a connect or a TLS handshake). */
    private volatile java.io.Closeable raw;
    private volatile boolean handshakeTimerArmed;
    /**
     * The outgoing queue while there is output (made by the first output, under {@link #lock}), null
     * while there is none: dropped when the opening handshake is written, after a keepalive ping and at
     * each timer tick if nothing is queued or being written ({@link #shedOutbound}), so that an idle
     * connection keeps no queue, lock or buffer array for output it may never have.
     */
    private volatile Outbound outbound;
    /** Bytes written by the queues dropped so far. Guarded by {@link #lock}. */
    private long writtenBefore;
    /** The pump that opened the connection drops the queue once the handshake is written. Reading thread only. */
    private boolean shedAfterPump;
    /** The thread in {@link #pump}: its sends are flushed once, after the batch. */
    private volatile Thread pumpThread;
    /**
     * The reader is dispatching one read's events: its own sends are flushed once, after the batch
     * ({@link #pump}), unless the queue grows past {@link #DEFER_LIMIT}. Reading thread only.
     */
    private boolean deferFlush;
    /** When the bytes being dispatched were read. Reading thread only. */
    private long readNanos;
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
    /** The peer broke the protocol: sends from threads other than the reader are refused (see dispatch). */
    private volatile boolean failing;
    /** The status to report instead of the engine's bare 1006 (a timeout, a network error). */
    private volatile CloseStatus abortStatus;
    /** Why a client's opening handshake failed, for its connect future. */
    private volatile Throwable handshakeError;
    /** Keepalive and idle deadlines, decided on the host's clock(). */
    private final Liveness liveness;
    private CloseStatus finalStatus;
    private boolean closeTimerArmed; // guarded by lock
    private volatile Future<?> handshakeTimer = NONE;
    private volatile Future<?> closeTimer = NONE;
    /** Keepalive and idle timeout, whichever is due first (see {@link #startTimers}). */
    private volatile Future<?> timer = NONE;
    /** When the opening handshake completed, on the host's clock(). */
    private long openedAt;
    /** Who started the end; null until someone does. Guarded by {@link #lock}. */
    private ConnectionObserver.Initiator initiator;
    /** Bytes read and whole messages received: the reading thread's. */
    private long bytesIn;
    private long messagesIn;
    /** Messages queued for sending. Guarded by {@link #lock}. */
    private long messagesOut;

    private static final Future<?> NONE = CompletableFuture.completedFuture(null);

    // The host's parts, asked for each time rather than copied into every connection (they are its fields).
    private DriverLogger log() {
        return host.logger();
    }

    private ConnectionObserver observer() {
        return host.observer();
    }

    private Scheduler clock() {
        return host.scheduler();
    }

    private ConnectionOptions options() {
        return host.connectionOptions();
    }
    private static final VarHandle CLOSE_FUTURE;
    private static final VarHandle OPEN_FUTURE;
    private static final VarHandle TERMINATED;
    private static final VarHandle READ_PAUSE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_FUTURE = lookup.findVarHandle(ConnectionDriver.class, "closeFuture", CompletableFuture.class);
            OPEN_FUTURE = lookup.findVarHandle(ConnectionDriver.class, "openFuture", CompletableFuture.class);
            TERMINATED = lookup.findVarHandle(ConnectionDriver.class, "terminated", CompletableFuture.class);
            READ_PAUSE = lookup.findVarHandle(ConnectionDriver.class, "readPause", ReadPause.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Why bytes still queued when a connection ends were not written: made at every end, usually for
     * nothing queued, so without a stack trace (it would only ever show {@link #finish}).
     */
    private static final class ClosedBeforeWritten extends IOException {
        ClosedBeforeWritten(String id) {
            super("connection " + id + " closed before the bytes were written");
        }

        @Override
        public Throwable fillInStackTrace() {
            return this;
        }
    }

    private ConnectionDriver(ConnectionHost host, Protocol engine, WebSocketListener listener) {
        this.id = "ws-" + IDS.incrementAndGet();
        this.host = host;
        this.engine = engine;
        this.listener = listener;
        this.liveness = new Liveness(options(), clock().nanoTime());
        // answers to the messages read together with the peer's close go out before our close frame
        // (RFC 6455 section 5.5.1, "as soon as practical"): the engine holds it until pump() releases it
        engine.holdClose(true);
    }

    /** A server connection: it reads an opening request, and the host decides on it. */
    public static ConnectionDriver server(ConnectionHost host) {
        return new ConnectionDriver(host, ServerProtocol.create(engineConfig(host.connectionOptions())), null);
    }

    /**
     * A server connection whose opening request the transport's HTTP phase already read and parsed
     * ({@code headBytes} bytes, counted as read): the head is not parsed again. Give {@link #start}
     * only what followed the head.
     */
    public static ConnectionDriver server(ConnectionHost host, HandshakeRequest request, int headBytes) {
        ConnectionDriver driver = new ConnectionDriver(host,
                ServerProtocol.create(engineConfig(host.connectionOptions()), request), null);
        driver.counted(headBytes);
        // its handshake is decided and answered within start(): no handshake timer unless start leaves it
        // still connecting (see start), rather than one armed and cancelled for every connection
        driver.handshakeTimerArmed = true;
        return driver;
    }

    /** The options a server's connections last shared, and the engine configuration made from them. */
    private record SharedConfig(ConnectionOptions options, ws.protocol.engine.ProtocolConfig config) {
    }

    private static volatile SharedConfig lastConfig;

    /**
     * The engine configuration of {@code options}: one immutable object for all the connections of a
     * server (they share one options object), rather than a copy in every connection.
     */
    static ws.protocol.engine.ProtocolConfig engineConfig(ConnectionOptions given) {
        SharedConfig last = lastConfig;
        if (last != null && last.options() == given) {
            return last.config();
        }
        ws.protocol.engine.ProtocolConfig config = given.protocolConfig();
        lastConfig = new SharedConfig(given, config);
        return config;
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

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    /** Completes after {@code onOpen}, or fails with why the connection never opened. */
    public CompletableFuture<WebSocket> openFuture() {
        CompletableFuture<WebSocket> future = openFuture;
        if (future == null) {
            future = made(OPEN_FUTURE);
        }
        settleOpen(future, openOutcome);
        return future;
    }

    /** Completes when {@link #finish()} has run. */
    public CompletableFuture<Void> terminated() {
        CompletableFuture<Void> future = terminated;
        if (future == null) {
            future = made(TERMINATED);
        }
        if (finished) {
            future.complete(null);
        }
        return future;
    }

    /** The future in {@code field}, made now unless another thread made it first. */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> made(VarHandle field) {
        CompletableFuture<T> made = new CompletableFuture<>();
        Object first = field.compareAndExchange(this, (CompletableFuture<T>) null, made);
        return first == null ? made : (CompletableFuture<T>) first;
    }

    /** The opening ended with {@code outcome} (this connection, or a Throwable): once. */
    private void opening(Object outcome) {
        if (openOutcome != null) {
            return;
        }
        openOutcome = outcome;
        CompletableFuture<WebSocket> future = openFuture;
        if (future != null) {
            settleOpen(future, outcome);
        }
    }

    private void settleOpen(CompletableFuture<WebSocket> future, Object outcome) {
        if (outcome instanceof Throwable failed) {
            future.completeExceptionally(failed);
        } else if (outcome != null) {
            future.complete(this);
        }
    }

    /**
     * Where the reading thread waits for the application inside a callback (a stream's room, a
     * subscriber's demand); released when the connection ends.
     */
    public ReadPause readPause() {
        ReadPause pause = readPause;
        if (pause == null) {
            ReadPause made = new ReadPause();
            pause = (ReadPause) READ_PAUSE.compareAndExchange(this, (ReadPause) null, made);
            if (pause == null) {
                pause = made;
                if (pauseReleased) {
                    made.release();
                }
            }
        }
        return pause;
    }

    /** The connection ends: a waiting reader wakes, and every later wait returns at once. */
    private void releaseReadPause() {
        pauseReleased = true;
        ReadPause pause = readPause;
        if (pause != null) {
            pause.release();
        }
    }

    /** Runs application work that the reading thread feeds (a streamed message's handler): the host's tasks. */
    public java.util.concurrent.Executor tasks() {
        return host.tasks();
    }

    /** A {@link FragmentListener} gets data frames as they come: the engine stops assembling messages. */
    private void chooseDelivery(WebSocketListener chosen) {
        if (chosen instanceof FragmentListener) {
            lock.lock();
            try {
                engine.deliverFragments();
            } finally {
                lock.unlock();
            }
        }
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
        if (abortStatus == null) {
            abortStatus = lostBy(error);
        }
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
        readNanos = clock().nanoTime();
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
        long now = clock().nanoTime();
        readNanos = now;
        liveness.read(now);
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
        readNanos = clock().nanoTime();
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
        flushInline();
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
                collectDeferred(answers); // the read's answers, one item for all of them
            }
        }
        flushInline();
        if (shedAfterPump) {
            shedAfterPump = false;
            shedOutbound();
        }
    }

    /** Writes what is queued as far as the sink takes it at once, on this thread; the rest goes to the writer. */
    private void flushInline() {
        Outbound out = outbound;
        if (out != null) {
            out.flushInline();
        }
    }

    /** Has the hand-off writer write what is queued, if anything is. */
    private void flushAsync() {
        Outbound out = outbound;
        if (out != null) {
            out.flushAsync();
        }
    }

    /**
     * If the connection is open and nothing is queued, being written or waited for: drops the outgoing
     * queue, the empty inbox and the engine's buffers kept for the next message and output (the next
     * output, event or message makes them again). An idle connection then holds none of them.
     */
    private void shedOutbound() {
        lock.lock();
        try {
            if (state != ProtocolState.OPEN) {
                return;
            }
            Outbound out = outbound;
            if (out != null) {
                if (!out.isIdle()) {
                    return;
                }
                writtenBefore += out.bytesWritten();
                outbound = null;
            }
            ArrayDeque<ProtocolEvent> queue = inbox;
            if (queue != null && queue.isEmpty()) {
                inbox = null;
                engine.deliverEventsTo(null); // the engine keeps its next events until an inbox is made again
            }
            engine.trim();
        } finally {
            lock.unlock();
        }
    }

    /** Takes what the reader's sends left in the engine into the output queue. */
    private void collectDeferred(Outbound out) {
        lock.lock();
        try {
            if (out.hasDeferred()) {
                collectLocked(null);
            }
        } finally {
            lock.unlock();
        }
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
            abortStatus = lostBy(error);
            callListener(l -> l.onError(this, error), false);
        }
        errorReported = true;
        endInput();
    }

    /** The input ended (or failed): the engine is told unless it closed already, and its last events dispatched. */
    private void endInput() {
        if (state != ProtocolState.CLOSED) {
            withEngine(Protocol::receiveEof, null);
        }
        dispatchInbox();
    }

    /**
     * Everything ends here, once, on the connection's own thread, after its input ended or failed:
     * the output is written and ended (bounded by the close timeout, whose timer closes the sink),
     * the sink closed, timers cancelled, and {@code onClose} called last.
     */
    public void finish() {
        try {
            if (sink != null) {
                try {
                    endInput();
                    Sink s = sink;
                    Outbound out = outbound; // made by the close frame or the end of output, if any
                    if (out != null && !aborting && s.isOpen() && !out.isEnded()) {
                        out.flushAsync();
                        // a wait on the wall clock even under a manual clock: it ends early when the
                        // close timer (on the host's clock) closes the sink and the output fails
                        out.awaitEnded(System.nanoTime() + options().closeTimeout().toNanos());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log().debug("{}: engine failed at end of input", id, e);
                }
            }
        } finally {
            ended = true;
            releaseReadPause();
            Sink s = sink;
            if (s != null) {
                s.close();
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
                out.discard(new ClosedBeforeWritten(id));
            }
            CloseStatus status = finalStatus;
            if (status == null) {
                CloseStatus override = abortStatus;
                status = override != null ? override : new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "");
            }
            host.ended(this);
            if (opened) {
                observer().closed(this, summary(status, out));
            }
            if (log().debugEnabled()) {
                log().debug("{}: closed {}", id, status);
            }
            CloseStatus last = status;
            if (opened || side() == Side.CLIENT) {
                callListener(l -> l.onClose(this, last), true);
            }
            closedWith = status;
            CompletableFuture<CloseStatus> closing = closeFuture;
            if (closing != null) {
                closing.complete(status);
            }
            if (openOutcome == null) {
                Throwable why = handshakeError;
                if (why == null) {
                    why = status.cause() != null ? status.cause()
                            : new IOException("connection closed during the opening handshake: " + status);
                }
                opening(why);
            }
            finished = true;
            CompletableFuture<Void> done = terminated;
            if (done != null) {
                done.complete(null);
            }
        }
    }

    private ConnectionObserver.Summary summary(CloseStatus status, Outbound out) {
        ConnectionObserver.Initiator who;
        long sent;
        long bytesOut;
        lock.lock();
        try {
            who = initiator;
            sent = messagesOut;
            bytesOut = writtenBefore + (out == null ? 0 : out.bytesWritten());
        } finally {
            lock.unlock();
        }
        if (who == null) {
            who = ConnectionObserver.Initiator.NONE; // lost (a reset, an end of input) without a close handshake
        }
        return new ConnectionObserver.Summary(status, who, clock().nanoTime() - openedAt, messagesIn, sent,
                bytesIn, bytesOut);
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
                recycleOutput();
                call.accept(engine);
            }
            collectLocked(future);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Once everything the engine handed over is written, its output buffer is written over again
     * rather than a new one allocated (the sinks copy what they write). Under the lock.
     */
    private void recycleOutput() {
        Outbound out = outbound;
        if (out != null && out.allWritten()) {
            engine.recycleOutput();
        }
    }

    private void collectLocked(CompletableFuture<Void> future) {
        Outbound out = outbound;
        if (out == null && sink != null && (future != null || engine.hasOutput())) {
            out = outboundLocked();
        }
        if (out != null) {
            out.collect(engine, future, state == ProtocolState.CONNECTING); // still the state before this call
        }
        List<ProtocolEvent> kept = engine.events(); // events of an engine that had no inbox to feed
        if (!kept.isEmpty()) {
            inbox().addAll(kept);
        }
        ProtocolState now = engine.state();
        // the engine adds its events to the inbox as they happen; one that ends the connection (the
        // peer's close, a failure) leaves the engine no longer open, so only then is the inbox looked at
        ArrayDeque<ProtocolEvent> events = inbox;
        if (initiator == null && now != ProtocolState.OPEN && events != null) {
            for (ProtocolEvent event : events) {
                if (event instanceof ProtocolEvent.CloseReceived) {
                    initiator = ConnectionObserver.Initiator.REMOTE;
                    break;
                }
                if (event instanceof ProtocolEvent.Failed failed
                        && failed.status().code() != CloseCodes.ABNORMAL_CLOSURE) {
                    // a failure this side detected (not an input that ended in the middle of a frame)
                    initiator = ConnectionObserver.Initiator.LOCAL;
                    break;
                }
            }
        }
        state = now;
        if (!closeTimerArmed && (now == ProtocolState.CLOSED || engine.closeExpected())) {
            armCloseTimer();
        }
    }

    /** The outgoing queue, made if the connection has none (under the lock; the sink exists). */
    private Outbound outboundLocked() {
        Outbound out = outbound;
        if (out == null) {
            out = new Outbound(sink, host.writers(), this::writeFailed, observer());
            outbound = out;
        }
        return out;
    }

    /**
     * The inbox, made with the first events after the connection was idle (under the lock); the
     * engine then adds its events to it as they happen, with no list per read, until it is dropped.
     */
    private ArrayDeque<ProtocolEvent> inbox() {
        ArrayDeque<ProtocolEvent> queue = inbox;
        if (queue == null) {
            queue = new ArrayDeque<>(2);
            inbox = queue;
            engine.deliverEventsTo(queue);
        }
        return queue;
    }

    // ------------------------------------------------------------------------------------------
    // Events, on the reader thread

    private void dispatchInbox() {
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
            liveness.message(readNanos);
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
                callListener(l -> ((FragmentListener) l).onFragment(this, fragment.data(), fragment.text(),
                        fragment.first(), fragment.last()), false);
            }
            case ProtocolEvent.Ping ping -> callListener(l -> l.onPing(this, ping.payload()), false);
            case ProtocolEvent.Pong pong -> callListener(l -> l.onPong(this, pong.payload()), false);
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
                withEngine(e -> server.accept(accept.subprotocol(), accept.headers()), null);
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
        subprotocol = open.subprotocol() == null ? "" : open.subprotocol();
        extensions = List.copyOf(open.extensions());
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
        abortStatus = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", rejected.error());
        callListener(l -> l.onError(this, rejected.error()), false);
    }

    /** A listener callback taking the connection and one value: static, so no object per call. */
    @FunctionalInterface
    private interface Callback<T> {
        void call(WebSocketListener listener, ConnectionDriver connection, T value);
    }

    private static final Callback<String> ON_TEXT = (l, c, text) -> l.onText(c, text);
    private static final Callback<ByteBuffer> ON_BINARY = (l, c, data) -> l.onBinary(c, data);
    private static final Callback<Consumer<WebSocketListener>> ANY = (l, c, call) -> call.accept(l);

    /** {@link #callListener(Callback, Object, boolean)} for any callback (a lambda: not for every message). */
    private void callListener(Consumer<WebSocketListener> callback, boolean evenAfterFailure) {
        callListener(ANY, callback, evenAfterFailure);
    }

    private <T> void callListener(Callback<T> callback, T value) {
        callListener(callback, value, false);
    }

    /**
     * Calls the listener unless a callback already failed; a callback that throws gets
     * {@code onError}, then the connection fails with 1011.
     */
    private <T> void callListener(Callback<T> callback, T value, boolean evenAfterFailure) {
        WebSocketListener target = listener;
        if (target == null || (listenerFailed && !evenAfterFailure)) {
            return;
        }
        try {
            callback.call(target, this, value);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            listenerThrew(target, e);
        }
    }

    private void listenerThrew(WebSocketListener target, Throwable error) {
        if (ended) {
            log().warn("{}: onClose threw", id, error);
            return;
        }
        if (listenerFailed) {
            log().warn("{}: listener threw again", id, error);
            return;
        }
        listenerFailed = true;
        listenerError = error;
        releaseReadPause();
        log().warn("{}: listener threw; failing the connection with 1011", id, error);
        try {
            target.onError(this, error);
        } catch (RuntimeException | LinkageError | AssertionError again) {
            log().warn("{}: onError threw too", id, again);
        }
        if (state != ProtocolState.CLOSED && state != ProtocolState.CONNECTING) {
            withEngine(e -> e.fail(CloseCodes.INTERNAL_ERROR, "internal error", error), null);
            flushAsync();
        } else if (state == ProtocolState.CONNECTING) {
            abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
        }
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

    private void timerTick() {
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
        timer = clock().schedule(due.waitNanos(), id, "timer", this::timerTick);
    }

    // ------------------------------------------------------------------------------------------
    // Failing and aborting from any thread

    /** Closes the socket now; the reader reports {@code status} unless the engine already closed. */
    public void abortWith(CloseStatus status) {
        if (state != ProtocolState.CLOSED && abortStatus == null) {
            abortStatus = status;
        }
        if (!(status.cause() instanceof IOException)) {
            // this side's decision (the application's abort, a timeout, a shutdown), not a lost connection
            lock.lock();
            try {
                if (initiator == null) {
                    initiator = ConnectionObserver.Initiator.LOCAL;
                }
            } finally {
                lock.unlock();
            }
        }
        aborting = true;
        releaseReadPause();
        Sink w = sink;
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
        log().debug("{}: write failed: {}", id, error.toString());
        abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", error));
    }

    /** Fails the connection with {@code code} (a policy the transport enforces) and has the close frame written. */
    private void failConnection(int code, String reason, Throwable cause) {
        releaseReadPause();
        withEngine(e -> {
            if (e.state() != ProtocolState.CLOSED) {
                e.fail(code, reason, cause);
            }
        }, null);
        flushAsync();
    }

    /** Server shutdown: 1001 to an open connection, an abort for one still in its handshake. */
    public void goingAway() {
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

    private <T> CompletableFuture<Void> send(long size, boolean message, BiConsumer<Protocol, T> call, T value) {
        return send(size, message, call, value, false);
    }

    /**
     * Calls the engine under the lock and has the bytes written by the hand-off writer: a sender
     * never blocks on the network (a stalled peer would hold it for as long as it stalls); it waits
     * only under {@link BackpressurePolicy#WAIT}, bounded by the close timeout. The reading thread's
     * sends while it dispatches a read stay in the engine's output (counted in the buffered amount)
     * and are queued and written together after the read's events ({@link #pump}).
     *
     * @param call the engine call, a static method reference or lambda (no object per send), given {@code value}
     */
    private <T> CompletableFuture<Void> send(long size, boolean message, BiConsumer<Protocol, T> call, T value,
                                             boolean broadcast) {
        if (!opened) {
            throw new IllegalStateException("connection " + id + " is not open yet: " + readyState());
        }
        Outbound out = outbound;
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (message && !makeRoom(out, size, future, broadcast)) {
            return future;
        }
        boolean onReader = deferFlush && Thread.currentThread() == pumpThread;
        boolean flush = !onReader;
        lock.lock();
        try {
            ProtocolState now = engine.state();
            // CLOSE_RECEIVED: the peer's close is held while the listener answers what came before it
            boolean brokenByPeer = failing && Thread.currentThread() != pumpThread;
            if ((now != ProtocolState.OPEN && now != ProtocolState.CLOSE_RECEIVED || brokenByPeer) && !closeCalled) {
                // closing not by the application's own close(): the peer's close frame (perhaps read
                // with the message being answered), a failure, a timeout or a shutdown. Not misuse:
                // the send fails as the API says, "the connection closed first".
                future.completeExceptionally(new IOException("connection " + id + " is closing ("
                        + now + "): the send was not made"));
                return future;
            }
            recycleOutput();
            call.accept(engine, value);
            if (message) {
                messagesOut++;
            }
            if (onReader) {
                out = outboundLocked(); // made by the first send if the connection had none
                out.defer(engine.pendingOutputBytes(), future);
                if (out.bufferedAmount() > DEFER_LIMIT) {
                    collectLocked(null); // a large answer is not held back until the read's end
                    flush = true;
                }
            } else {
                collectLocked(future);
                out = outbound; // made by this send if the connection had none
            }
        } finally {
            lock.unlock();
        }
        if (message) {
            observer().messageSent();
            if (liveness.tracksMessages()) {
                // the reader's sends while it dispatches a read take that read's time: no clock read each
                liveness.message(onReader ? readNanos : clock().nanoTime());
            }
        }
        if (flush) {
            out.flushAsync();
        }
        return future;
    }

    /**
     * Applies the backpressure policy: whether a message of {@code size} bytes may be queued now.
     * Nothing queued means room for any message, so one larger than the mark is never refused forever.
     */
    private boolean makeRoom(Outbound out, long size, CompletableFuture<Void> future, boolean broadcast) {
        if (hasRoom(out, size)) {
            return true;
        }
        long mark = options().highWaterMark();
        long buffered = out.bufferedAmount();
        BackpressurePolicy policy = options().backpressure();
        if (broadcast && policy == BackpressurePolicy.WAIT) {
            // a broadcaster never waits for one slow client
            policy = BackpressurePolicy.FAIL;
        }
        if (policy == BackpressurePolicy.WAIT && out.isWriterThread()) {
            // a send from an action chained to an earlier send's future runs on the writer, which
            // alone makes room: it must not wait for itself, and its bytes go right after
            return true;
        }
        observer().backpressure(this, policy, buffered, size, mark);
        switch (policy) {
            case WAIT -> {
                collectDeferred(out); // a deferred flush (the reader's own sends) must not wait for itself
                out.flushAsync();
                Duration bound = options().closeTimeout();
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
                log().debug("{}: {}", id, error.getMessage());
                failConnection(CloseCodes.POLICY_VIOLATION, "send buffer over the high-water mark", error);
                return false;
            }
        }
        return false;
    }

    /** Whether {@code size} more bytes fit under the high-water mark now (an empty queue takes any message). */
    private boolean hasRoom(Outbound out, long size) {
        long buffered = out == null ? 0 : out.bufferedAmount();
        return buffered == 0 || buffered + size <= options().highWaterMark();
    }

    /**
     * Why a broadcast skipped a connection that is not open, or one over its high-water mark under
     * {@code WAIT} or {@code FAIL}: one instance each, made once. A broadcast to many connections
     * skips the same stalled ones message after message; an exception of its own each time (a stack
     * trace filled, a message formatted, and a second exception wrapping it for a completion
     * handler) cost microseconds per skipped connection per message, which a few stalled clients
     * turned into a broadcaster several times slower for everyone else (bench/slow-consumers).
     */
    private static final IllegalStateException BROADCAST_NOT_OPEN =
            new IllegalStateException("broadcast skipped: the connection is not open");
    private static final BackpressureException BROADCAST_OVER_MARK =
            new BackpressureException("broadcast skipped: the connection's buffered amount is over its high-water mark");

    /**
     * Broadcast: never blocks the broadcaster, never throws for this one connection, and skips a
     * connection that is not open or (unless its policy is {@code CLOSE}) over its high-water mark at
     * the cost of a failed future whose exception is shared by every such skip (made once, not per
     * connection and message).
     */
    public CompletableFuture<Void> sendBroadcast(PreparedMessage message) {
        Outbound out = outbound;
        if (!opened || ended || state != ProtocolState.OPEN) {
            return CompletableFuture.failedFuture(BROADCAST_NOT_OPEN);
        }
        long size = message.payload().remaining();
        if (options().backpressure() != BackpressurePolicy.CLOSE && !hasRoom(out, size)) {
            // counted and recorded as every policy decision is: a broadcaster's WAIT is a FAIL
            observer().backpressure(this, BackpressurePolicy.FAIL, out.bufferedAmount(), size, options().highWaterMark());
            return CompletableFuture.failedFuture(BROADCAST_OVER_MARK);
        }
        try {
            return send(size, true, Protocol::sendPrepared, message, true);
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
        return send(textSize(text), true, Protocol::sendText, text);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        return send(textSize(part), true, (e, p) -> e.sendText(p, last), part);
    }

    /**
     * The size the backpressure check counts for a text: its exact UTF-8 length when the queue is so
     * full that it matters, else the bound of three bytes per char, which the check passes without a
     * scan of the text (the engine measures it exactly when it encodes).
     */
    private long textSize(CharSequence text) {
        long bound = 3L * text.length();
        return hasRoom(outbound, bound) ? bound : utf8Length(text);
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
        if (ended) {
            return closeFuture();
        }
        if (!opened) {
            abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "closed before the handshake completed"));
            return closeFuture();
        }
        releaseReadPause(); // the reader must read on, to the peer's answering close
        withEngine(e -> {
            // once closing, the handshake is under way and another close frame is not sent
            if (e.state() == ProtocolState.OPEN) {
                e.sendClose(code, reason);
                if (initiator == null) {
                    initiator = ConnectionObserver.Initiator.LOCAL;
                }
            }
            if (byApplication) {
                closeCalled = true; // under the lock, and only once the code and reason were accepted
            }
        }, null);
        flushAsync();
        return closeFuture();
    }

    @Override
    public void abort() {
        abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"));
    }

    @Override
    public CompletableFuture<CloseStatus> closeFuture() {
        CompletableFuture<CloseStatus> future = closeFuture;
        if (future == null) {
            future = made(CLOSE_FUTURE);
        }
        CloseStatus status = closedWith;
        if (status != null) {
            future.complete(status);
        }
        return future;
    }

    @Override
    public String toString() {
        Sink w = sink;
        return "WebSocket[" + id + ", " + readyState() + (w == null ? "" : ", " + w.remoteAddress()) + "]";
    }

}
