package ws.protocol.driver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
import ws.protocol.api.ConnectionBoundListener;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.ReadyState;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectListener;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.SendQueueException;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeRequest;

/**
 * The {@link ReconnectingWebSocket} of every transport: a sequence of client connections to one URI,
 * each started through a {@link Connector}, with the backoff waits on a {@link Scheduler} (the
 * client's timers, a test's manual clock). A transport's client makes one per
 * {@link ws.protocol.api.WebSocketClient#connectReconnecting} call, {@link #start()}s it, and
 * {@link #abort()}s the ones still running when it closes.
 *
 * <p>Each attempt gets a listener of its own ({@link ReconnectAttempt}), so that nothing a finished connection
 * still reports reaches the application. The application's callbacks stay sequential: a connection's
 * callbacks run on its own thread, the next attempt starts only after the previous connection's
 * {@code onClose} (and {@code onReconnecting}) returned, and a close by the application while
 * {@code onReconnecting} runs is finished by that callback's thread.
 */
public final class Reconnector implements ReconnectingWebSocket {
    private static final AtomicLong IDS = new AtomicLong();

    /** Starts one connection attempt. */
    @FunctionalInterface
    public interface Connector {
        /**
         * Starts connecting; the connection reports to {@code listener} (its {@code onClose} comes
         * also when it never opens).
         *
         * @return the connection, not yet open
         * @throws IllegalStateException when the client is closed
         */
        WebSocket connect(WebSocketListener listener);
    }

    enum Phase { CONNECTING, OPEN, WAITING, CLOSED }

    private final String id = "wsr-" + IDS.incrementAndGet();
    private final URI uri;
    final WebSocketListener listener;
    private final ReconnectListener reconnectListener;
    private final Reconnect policy;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Connector connector;
    private final Runnable onEnd;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final CompletableFuture<CloseStatus> closeFuture = new CompletableFuture<>();
    private final CompletableFuture<ReconnectingWebSocket> firstOpen = new CompletableFuture<>();
    final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    final SendQueue queue;
    Phase phase = Phase.CONNECTING;
    private ReconnectAttempt attempt;
    /** The open connection; its queue is handed over until {@link #draining} is false. */
    WebSocket connection;
    boolean draining;
    /** The last connection seen, for the getters. */
    private volatile WebSocket last;
    /** Attempts since the last stable connection: the backoff's attempt number, bounded by maxAttempts. */
    int failures;
    /** Attempts since the last connection opened, for onReconnected. */
    private int outageAttempts;
    int connections;
    private long openedAt;
    private Future<?> timer;
    /** onReconnecting is running: a close meanwhile, or the timer, is finished by its thread. */
    private boolean firing;
    private boolean dueWhileFiring;
    boolean userClosed;
    private CloseStatus userStatus;
    boolean ended;
    /** The connection a fragmented message started on, or {@link #BROKEN} when its parts must fail. */
    Object partialOn;

    static final Object BROKEN = new Object();

    /**
     * A handle that will connect to {@code uri}.
     *
     * @param random the source of the backoff's jitter
     * @param onEnd  runs once when the handle is over (the client forgets it)
     */
    public Reconnector(URI uri, WebSocketListener listener, Reconnect policy, Scheduler scheduler,
                       RandomGenerator random, Connector connector, Runnable onEnd) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (listener instanceof FragmentListener) {
            // each connection would need the listener's own per-connection state, and the handle is not
            // the connection a stream reads from: refused rather than delivered as whole messages
            throw new IllegalArgumentException("a reconnecting connection delivers whole messages: a FragmentListener"
                    + " (or MessageStreams.receiving) needs one connection, from connect()");
        }
        if (listener instanceof ConnectionBoundListener) {
            throw new IllegalArgumentException("a reconnecting handle stands for a series of connections: a "
                    + "ConnectionBoundListener (" + listener.getClass().getName() + ", such as a MessagePublisher)"
                    + " needs the connection itself, from connect()");
        }
        this.reconnectListener = listener instanceof ReconnectListener r ? r : null;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
        this.queue = new SendQueue(policy);
    }

    /**
     * Starts the first connection.
     *
     * @throws IllegalStateException when the client is closed
     */
    public Reconnector start() {
        ReconnectAttempt first = new ReconnectAttempt(this);
        lock.lock();
        try {
            attempt = first;
        } finally {
            lock.unlock();
        }
        WebSocket started = connector.connect(first);
        attach(first, started);
        return this;
    }

    /** A backoff wait is over. On the scheduler's thread. */
    private void reconnectWhenDue() {
        lock.lock();
        try {
            if (firing) {
                dueWhileFiring = true; // onReconnecting still runs: its thread starts the attempt after it
                return;
            }
        } finally {
            lock.unlock();
        }
        reconnect();
    }

    /** The next attempt. */
    private void reconnect() {
        ReconnectAttempt next = new ReconnectAttempt(this);
        lock.lock();
        try {
            timer = null;
            if (ended || userClosed || phase != Phase.WAITING) {
                return;
            }
            phase = Phase.CONNECTING;
            attempt = next;
        } finally {
            lock.unlock();
        }
        WebSocket started;
        try {
            started = connector.connect(next);
        } catch (RuntimeException e) {
            // the client was closed under us: nothing more can connect
            end(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", e), false, 0);
            return;
        }
        attach(next, started);
    }

    private void attach(ReconnectAttempt started, WebSocket connection) {
        boolean abort;
        lock.lock();
        try {
            if (last == null || started == attempt) {
                last = connection;
            }
            started.connection = connection;
            abort = started == attempt && userClosed && phase == Phase.CONNECTING;
        } finally {
            lock.unlock();
        }
        if (abort) {
            connection.abort();
        }
    }

    // ------------------------------------------------------------------------------------------
    // One attempt's events, on its connection's thread (its ReconnectAttempt forwards the others)

    /** Whether {@code candidate} is the current attempt, whose events reach the application. */
    boolean isCurrent(ReconnectAttempt candidate) {
        lock.lock();
        try {
            return attempt == candidate && !ended;
        } finally {
            lock.unlock();
        }
    }

    /** An attempt's connection opened: it becomes the connection, unless it is stale or the handle was closed. */
    void attemptOpened(ReconnectAttempt opening, WebSocket opened) {
        boolean reconnection = false;
        int made = 0;
        CloseStatus closeNow = null;
        lock.lock();
        try {
            if (attempt != opening || ended) {
                closeNow = CloseStatus.GOING_AWAY;
            } else if (userClosed) {
                closeNow = userStatus;
            } else {
                opening.connection = opened;
                last = opened;
                connection = opened;
                phase = Phase.OPEN;
                draining = true;
                connections++;
                made = outageAttempts;
                reconnection = made > 0;
                outageAttempts = 0;
                openedAt = scheduler.nanoTime();
            }
        } finally {
            lock.unlock();
        }
        if (closeNow != null) {
            if (CloseCodes.isSendableBy(Side.CLIENT, closeNow.code())) {
                opened.close(closeNow.code(), closeNow.reason());
            } else {
                opened.abort(); // abort() was called while this connection opened
            }
            return;
        }
        handOverQueue(opened);
        if (reconnection && reconnectListener != null) {
            reconnectListener.onReconnected(this, made);
        }
        listener.onOpen(this);
        firstOpen.complete(this);
    }

    /** Hands the queued messages to the new connection, oldest first; sends meanwhile queue behind them. */
    private void handOverQueue(WebSocket opened) {
        while (true) {
            SendQueue.Item item;
            lock.lock();
            try {
                item = Reconnector.this.connection == opened ? queue.poll() : null;
                if (item == null) {
                    draining = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            item.sendOn(opened);
        }
    }

    /** A connection (or an attempt) is over: reconnect, or end. */
    void connectionEnded(ReconnectAttempt ended, CloseStatus status) {
        int attemptNumber = 0;
        Duration delay = Duration.ZERO;
        CloseStatus endWith = null;
        boolean gaveUp = false;
        lock.lock();
        try {
            if (attempt != ended || this.ended) {
                return;
            }
            boolean wasOpen = phase == Phase.OPEN;
            connection = null;
            draining = false;
            if (partialOn != null) {
                partialOn = BROKEN;
            }
            if (wasOpen && scheduler.nanoTime() - openedAt >= policy.stablePeriod().toNanos()) {
                failures = 0; // it stayed up: the backoff starts again from its first window
            }
            if (userClosed) {
                endWith = wasOpen ? status : userStatus;
            } else if (!policy.reconnects(status)) {
                endWith = status;
            } else if (failures >= policy.maxAttempts()) {
                endWith = status;
                gaveUp = true;
            } else {
                attemptNumber = ++failures;
                outageAttempts++;
                double draw = random.nextDouble();
                delay = Reconnect.isSlowDown(status) ? policy.backoff().slowDownDelay(draw)
                        : policy.backoff().delay(attemptNumber, draw);
                phase = Phase.WAITING;
                firing = true;
                // scheduled before onReconnecting runs (a test sees it pending); if it comes due while
                // the callback runs, the callback's thread starts the attempt (afterFiring)
                timer = scheduler.schedule(delay.toNanos(), id, "reconnect-" + attemptNumber, this::reconnectWhenDue);
            }
        } finally {
            lock.unlock();
        }
        if (endWith != null) {
            end(endWith, gaveUp, failures());
            return;
        }
        try {
            if (reconnectListener != null) {
                reconnectListener.onReconnecting(this, attemptNumber, delay, status);
            }
        } finally {
            afterFiring();
        }
    }

    /**
     * onReconnecting returned: the attempt starts now if its timer came due meanwhile; the handle ends
     * now if the application closed it meanwhile.
     */
    private void afterFiring() {
        boolean closedMeanwhile;
        boolean due;
        lock.lock();
        try {
            firing = false;
            closedMeanwhile = userClosed && !ended;
            due = dueWhileFiring;
            dueWhileFiring = false;
        } finally {
            lock.unlock();
        }
        if (closedMeanwhile) {
            end(userStatus, false, 0);
        } else if (due) {
            reconnect();
        }
    }

    private int failures() {
        lock.lock();
        try {
            return failures;
        } finally {
            lock.unlock();
        }
    }

    /** The handle is over: once, whoever gets here first. */
    private void end(CloseStatus status, boolean gaveUp, int attempts) {
        List<SendQueue.Item> left;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            phase = Phase.CLOSED;
            connection = null;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            left = queue.clear();
        } finally {
            lock.unlock();
        }
        try {
            String why = gaveUp ? "gave up reconnecting after " + attempts + " attempts" : "closed: " + status;
            for (SendQueue.Item item : left) {
                item.future.completeExceptionally(new SendQueueException(SendQueueException.Reason.CLOSED,
                        "never sent: the reconnecting client " + why));
            }
            if (gaveUp && reconnectListener != null) {
                reconnectListener.onGaveUp(this, attempts, status);
            }
        } finally {
            try {
                listener.onClose(this, status);
            } finally {
                closeFuture.complete(status);
                firstOpen.completeExceptionally(status.cause() != null ? status.cause()
                        : new IOException("the reconnecting client to " + uri + " ended before it connected: " + status));
                onEnd.run();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // The application's calls (the sends through ReconnectSends)

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        return ReconnectSends.sendOrQueue(this, () -> SendQueue.Item.text(text), live -> live.sendText(text));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return ReconnectSends.sendOrQueue(this, () -> SendQueue.Item.binary(data), live -> live.sendBinary(data));
    }

    @Override
    public CompletableFuture<Void> send(PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        return ReconnectSends.sendOrQueue(this, () -> SendQueue.Item.prepared(message), live -> live.send(message));
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence part, boolean last) {
        Objects.requireNonNull(part, "part");
        return ReconnectSends.sendPart(this, last, live -> live.sendText(part, last));
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last) {
        Objects.requireNonNull(part, "part");
        return ReconnectSends.sendPart(this, last, live -> live.sendBinary(part, last));
    }

    @Override
    public CompletableFuture<Void> ping(ByteBuffer payload) {
        return ReconnectSends.control(this, live -> live.ping(payload));
    }

    @Override
    public CompletableFuture<Void> pong(ByteBuffer payload) {
        return ReconnectSends.control(this, live -> live.pong(payload));
    }

    @Override
    public CompletableFuture<CloseStatus> close(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!CloseCodes.isSendableBy(Side.CLIENT, code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent by a client");
        }
        return stop(new CloseStatus(code, reason), false);
    }

    @Override
    public void abort() {
        stop(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"), true);
    }

    /** Stops reconnecting for good and ends the current connection or attempt. */
    private CompletableFuture<CloseStatus> stop(CloseStatus status, boolean abort) {
        WebSocket closing = null;
        boolean endNow = false;
        lock.lock();
        try {
            if (userClosed || ended) {
                return closeFuture;
            }
            userClosed = true;
            userStatus = status;
            switch (phase) {
                case OPEN -> closing = connection;
                case CONNECTING -> {
                    closing = attempt == null ? null : attempt.connection;
                    abort = true; // no close handshake before the opening one
                }
                case WAITING -> {
                    if (timer != null) {
                        timer.cancel(false);
                        timer = null;
                    }
                    endNow = !firing;
                }
                case CLOSED -> endNow = true;
            }
        } finally {
            lock.unlock();
        }
        if (endNow) {
            end(status, false, 0);
        } else if (closing != null) {
            if (abort) {
                closing.abort();
            } else {
                closing.close(status.code(), status.reason());
            }
        }
        return closeFuture;
    }

    // ------------------------------------------------------------------------------------------
    // State and the current connection's values

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public CompletableFuture<ReconnectingWebSocket> firstOpen() {
        return firstOpen;
    }

    @Override
    public int connections() {
        lock.lock();
        try {
            return connections;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int queuedMessages() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ReadyState readyState() {
        lock.lock();
        try {
            if (ended) {
                return ReadyState.CLOSED;
            }
            if (userClosed) {
                return ReadyState.CLOSING;
            }
            WebSocket open = connection;
            return phase == Phase.OPEN && open != null && open.readyState() == ReadyState.OPEN
                    ? ReadyState.OPEN : ReadyState.CONNECTING;
        } finally {
            lock.unlock();
        }
    }

    private WebSocket last() {
        WebSocket seen = last;
        if (seen == null) {
            throw new IllegalStateException("no connection to " + uri + " has started yet");
        }
        return seen;
    }

    @Override
    public HandshakeRequest request() {
        return last().request();
    }

    @Override
    public String subprotocol() {
        WebSocket seen = last;
        return seen == null ? "" : seen.subprotocol();
    }

    @Override
    public List<ExtensionParameters> extensions() {
        WebSocket seen = last;
        return seen == null ? List.of() : seen.extensions();
    }

    @Override
    public SocketAddress remoteAddress() {
        return last().remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return last().localAddress();
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> tlsSession() {
        WebSocket seen = last;
        return seen == null ? Optional.empty() : seen.tlsSession();
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public long bufferedAmount() {
        lock.lock();
        try {
            WebSocket open = connection;
            return queue.bytes() + (open == null ? 0 : open.bufferedAmount());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<CloseStatus> closeFuture() {
        return closeFuture;
    }

    @Override
    public String toString() {
        return "ReconnectingWebSocket[" + id + ", " + uri + ", " + readyState() + ", " + connections() + " connections]";
    }
}
