package ws.events.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.Scheduler;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.WireLimits;
import ws.protocol.api.WebSocketClient;

/**
 * A Socket.IO client (protocol v5 over Engine.IO v4, WebSocket transport) on our own
 * {@link WebSocketClient}, so on any transport. One client is one connection to one server; each
 * namespace is a {@link ClientSocket} on it ({@link #socket(String)}), all multiplexed.
 *
 * <pre>{@code
 * EventClient client = EventClient.builder(URI.create("http://localhost:8080")).build();
 * ClientSocket chat = client.socket("/chat", () -> Map.of("token", token));
 * chat.on("message", Message.class, message -> show(message));
 * chat.connect().join();
 * chat.emitWithAck("join", "lobby").thenAccept(reply -> ...);
 * }</pre>
 *
 * <p>When the connection is lost (the server dropped it, the network failed, no ping came in time)
 * the client reconnects as its {@link Reconnection} says, reporting {@link #onReconnectAttempt},
 * {@link #onReconnect} and, when it gives up, {@link #onReconnectFailed}; each socket reports its own
 * {@code connect}, {@code disconnect} and {@code connect_error}. Thread-safe; every callback runs on
 * the client's event thread, one at a time.
 *
 * <p>Transport: WebSocket only (no HTTP long-polling): Java applications are not behind the
 * browsers' proxies that polling exists for, and every Socket.IO v4 server accepts a WebSocket
 * straight away.
 */
public final class EventClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventClient.class);

    private final URI uri;
    private final WebSocketClient webSocketClient;
    private final boolean ownsWebSocketClient;
    private final ObjectMapper mapper;
    private final Reconnection reconnection;
    private final Duration ackTimeout;
    private final Duration openTimeout;
    private final int sendBufferCapacity;
    private final OverflowPolicy overflowPolicy;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final WireLimits limits;
    private final SerialExecutor loop;
    private final Map<String, ClientSocket> sockets = new ConcurrentHashMap<>();
    private final List<IntConsumer> reconnectAttemptListeners = new CopyOnWriteArrayList<>();
    private final List<IntConsumer> reconnectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> reconnectErrorListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnectFailedListeners = new CopyOnWriteArrayList<>();
    // confined to the event loop
    private ClientEngineSession session;
    private boolean reconnecting;
    private int attempts;
    private Scheduler.Cancellable reconnectTimer;
    private boolean closed;
    private final ClientEngineSession.Owner owner = new SessionOwner();

    private EventClient(Builder builder) {
        uri = builder.engineUri();
        ownsWebSocketClient = builder.webSocketClient == null;
        webSocketClient = ownsWebSocketClient ? WebSocketClient.create() : builder.webSocketClient;
        mapper = builder.mapper != null ? builder.mapper : JsonMapper.builder().build();
        reconnection = builder.reconnection;
        ackTimeout = builder.ackTimeout;
        openTimeout = builder.openTimeout;
        sendBufferCapacity = builder.sendBufferCapacity;
        overflowPolicy = builder.overflowPolicy;
        scheduler = builder.scheduler;
        random = builder.random != null ? builder.random : new SplittableRandom();
        limits = WireLimits.DEFAULTS;
        Executor threads = builder.executor != null ? builder.executor
                : command -> Thread.ofVirtual().name("event-client").start(command);
        loop = new SerialExecutor(threads);
    }

    /**
     * A builder for a client of the server at {@code uri}: {@code http://host:port} (or {@code https},
     * {@code ws}, {@code wss}), with no path: namespaces are given to {@link #socket(String)}, the
     * Engine.IO path to {@link Builder#path(String)}.
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The Engine.IO URI it connects to ({@code ws://host:port/socket.io/?EIO=4&transport=websocket}). */
    public URI uri() {
        return uri;
    }

    /** The socket of the main namespace {@code "/"}, with no auth payload. */
    public ClientSocket socket() {
        return socket("/");
    }

    /** The socket of {@code namespace}, with no auth payload; the same socket for the same namespace. */
    public ClientSocket socket(String namespace) {
        return socket(namespace, null);
    }

    /**
     * The socket of {@code namespace}, sending {@code auth} (a value the mapper writes as a JSON object,
     * asked for again on every connection, so a token can be fresh) with its CONNECT. A namespace has
     * one socket per client: later calls return the first one, whatever auth they give.
     */
    public ClientSocket socket(String namespace, Supplier<?> auth) {
        Objects.requireNonNull(namespace, "namespace");
        if (!namespace.startsWith("/")) {
            throw new IllegalArgumentException("a namespace starts with '/', got '" + namespace + "'");
        }
        return sockets.computeIfAbsent(namespace, name -> new ClientSocket(this, name, auth));
    }

    /** Calls {@code listener} with the attempt number (from 1) before each reconnection attempt. */
    public EventClient onReconnectAttempt(IntConsumer listener) {
        reconnectAttemptListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Calls {@code listener} with the number of attempts it took when a reconnection succeeded. */
    public EventClient onReconnect(IntConsumer listener) {
        reconnectListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Calls {@code listener} with the cause when a reconnection attempt failed (another follows, unless it was the last). */
    public EventClient onReconnectError(Consumer<Throwable> listener) {
        reconnectErrorListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Runs {@code listener} when the client gives up: {@link Reconnection#maxAttempts()} attempts failed. */
    public EventClient onReconnectFailed(Runnable listener) {
        reconnectFailedListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Disconnects every socket ({@link DisconnectReason#IO_CLIENT_DISCONNECT}), closes the connection
     * and stops reconnecting; pending emits and acknowledgements fail with a {@link ConnectionLostException}.
     * Waits (a few seconds at most) until that is done.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable closing = () -> {
            try {
                if (!closed) {
                    closed = true;
                    cancelReconnect();
                    ConnectionLostException lost = new ConnectionLostException("the client was closed");
                    for (ClientSocket socket : sockets.values()) {
                        socket.clientClosing();
                        socket.abandoned(lost);
                    }
                    closeSession();
                }
            } finally {
                done.complete(null);
            }
        };
        if (loop.inLoop()) {
            closing.run(); // from a handler: the loop is this thread
        } else {
            loop.execute(closing);
        }
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("closing {} did not finish in time", uri, e);
        }
        if (ownsWebSocketClient) {
            webSocketClient.close();
        }
    }

    // ---- for the sockets, on the event loop

    Executor loop() {
        return loop;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Duration ackTimeout() {
        return ackTimeout;
    }

    int sendBufferCapacity() {
        return sendBufferCapacity;
    }

    OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isOpen() {
        return session != null && session.isOpen();
    }

    /** Sends a packet on the open connection; fails when there is none. */
    CompletableFuture<Void> send(SocketPacket packet) {
        if (!isOpen()) {
            return CompletableFuture.failedFuture(new ConnectionLostException("not connected"));
        }
        try {
            return session.send(packet);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A socket wants to connect: open the connection, or join at once when it is open. */
    void activate(ClientSocket socket) {
        if (closed) {
            socket.abandoned(new ConnectionLostException("the client was closed"));
            return;
        }
        if (isOpen()) {
            socket.engineOpened();
        } else if (session == null && !reconnecting) {
            open();
        }
    }

    /** A socket stopped wanting a connection: close it when no socket wants it any more. */
    void deactivated() {
        if (sockets.values().stream().noneMatch(ClientSocket::active)) {
            cancelReconnect();
            reconnecting = false;
            attempts = 0;
            closeSession();
        }
    }

    private void open() {
        session = new ClientEngineSession(loop, scheduler, openTimeout, limits, owner);
        session.start(webSocketClient, uri);
    }

    private void closeSession() {
        if (session != null) {
            ClientEngineSession ending = session;
            session = null;
            ending.close(); // the sockets have left already: nothing to report
        }
    }

    private void cancelReconnect() {
        if (reconnectTimer != null) {
            reconnectTimer.cancel();
            reconnectTimer = null;
        }
    }

    /** Schedules the next attempt, or gives up. */
    private void reconnect() {
        if (closed || !reconnection.enabled() || sockets.values().stream().noneMatch(ClientSocket::active)) {
            reconnecting = false;
            return;
        }
        if (attempts >= reconnection.maxAttempts()) {
            reconnecting = false;
            int made = attempts;
            attempts = 0;
            fire(reconnectFailedListeners, Runnable::run);
            ConnectionLostException lost = new ConnectionLostException("gave up reconnecting after " + made + " attempts");
            for (ClientSocket socket : sockets.values()) {
                socket.abandoned(lost);
            }
            return;
        }
        reconnecting = true;
        Duration delay = reconnection.delay(attempts + 1, random.nextDouble());
        reconnectTimer = scheduler.schedule(delay, () -> loop.execute(this::attempt));
    }

    private void attempt() {
        reconnectTimer = null;
        if (closed || !reconnecting || session != null) {
            return;
        }
        attempts++;
        int attempt = attempts;
        fire(reconnectAttemptListeners, listener -> listener.accept(attempt));
        if (closed || !reconnecting) {
            return;
        }
        open();
    }

    private final class SessionOwner implements ClientEngineSession.Owner {
        @Override
        public void opened(ClientEngineSession opened) {
            if (opened != session) {
                return;
            }
            if (reconnecting) {
                reconnecting = false;
                int made = attempts;
                attempts = 0;
                fire(reconnectListeners, listener -> listener.accept(made));
            }
            for (ClientSocket socket : new ArrayList<>(sockets.values())) {
                if (socket.active()) {
                    socket.engineOpened();
                }
            }
        }

        @Override
        public void received(ClientEngineSession from, SocketPacket packet) {
            if (from != session) {
                return;
            }
            ClientSocket socket = sockets.get(packet.namespace());
            if (socket != null) {
                socket.received(packet);
            }
        }

        @Override
        public void failed(ClientEngineSession failed, Throwable cause) {
            if (failed != session) {
                return;
            }
            session = null;
            LOG.debug("connecting to {} failed", uri, cause);
            if (reconnecting) {
                fire(reconnectErrorListeners, listener -> listener.accept(cause));
            }
            for (ClientSocket socket : new ArrayList<>(sockets.values())) {
                socket.engineFailed(cause);
            }
            reconnect();
        }

        @Override
        public void closed(ClientEngineSession ended, DisconnectReason reason) {
            if (ended != session) {
                return;
            }
            session = null;
            LOG.debug("connection to {} ended: {}", uri, reason);
            for (ClientSocket socket : new ArrayList<>(sockets.values())) {
                socket.engineClosed(reason);
            }
            reconnect();
        }
    }

    private <L> void fire(List<L> listeners, Consumer<L> call) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("a listener of {} threw", uri, e);
            }
        }
    }

    @Override
    public String toString() {
        return "EventClient[" + uri + "]";
    }

    /** Collects a client's options; {@link #build()} makes it (not yet connected). */
    public static final class Builder {
        private final URI server;
        private String path = "/socket.io/";
        private WebSocketClient webSocketClient;
        private ObjectMapper mapper;
        private Reconnection reconnection = Reconnection.DEFAULT;
        private Duration ackTimeout = Duration.ofSeconds(30);
        private Duration openTimeout = Duration.ofSeconds(20);
        private int sendBufferCapacity = 1_000;
        private OverflowPolicy overflowPolicy = OverflowPolicy.REJECT_NEW;
        private Scheduler scheduler = Scheduler.system();
        private Executor executor;
        private RandomGenerator random;

        private Builder(URI server) {
            this.server = Objects.requireNonNull(server, "uri");
            String scheme = server.getScheme();
            if (scheme == null || !List.of("http", "https", "ws", "wss").contains(scheme.toLowerCase())) {
                throw new IllegalArgumentException("the server URI must be http, https, ws or wss: " + server);
            }
            if (server.getHost() == null) {
                throw new IllegalArgumentException("the server URI has no host: " + server);
            }
            String given = server.getRawPath();
            if (given != null && !given.isEmpty() && !given.equals("/")) {
                throw new IllegalArgumentException("the server URI has a path (" + given + "): give the namespace to"
                        + " socket(namespace) and the Engine.IO path to path(...)");
            }
        }

        /** The Engine.IO path on the server; {@code /socket.io/} by default, as every Socket.IO server. */
        public Builder path(String value) {
            Objects.requireNonNull(value, "path");
            if (!value.startsWith("/")) {
                throw new IllegalArgumentException("the path starts with '/', got '" + value + "'");
            }
            path = value.endsWith("/") ? value : value + "/";
            return this;
        }

        /**
         * The WebSocket client to connect with: its transport, TLS, headers (cookies, Authorization),
         * timeouts. The caller keeps it and closes it. Default: {@link WebSocketClient#create()}, closed
         * with the event client.
         */
        public Builder webSocketClient(WebSocketClient value) {
            webSocketClient = Objects.requireNonNull(value, "webSocketClient");
            return this;
        }

        /** The mapper that writes emitted arguments and binds received ones; default: a plain {@link JsonMapper}. */
        public Builder mapper(ObjectMapper value) {
            mapper = Objects.requireNonNull(value, "mapper");
            return this;
        }

        /** When to reconnect; {@link Reconnection#DEFAULT} by default, {@link Reconnection#NEVER} for none. */
        public Builder reconnection(Reconnection value) {
            reconnection = Objects.requireNonNull(value, "reconnection");
            return this;
        }

        /** How long {@link ClientSocket#emitWithAck(String, Object...)} waits; 30 seconds by default. */
        public Builder ackTimeout(Duration value) {
            ackTimeout = positive(value, "ackTimeout");
            return this;
        }

        /** How long one connection attempt may take until the Engine.IO handshake; 20 seconds by default. */
        public Builder openTimeout(Duration value) {
            openTimeout = positive(value, "openTimeout");
            return this;
        }

        /**
         * How many emits each socket keeps while disconnected (1000 by default) and what happens to one
         * more ({@link OverflowPolicy#REJECT_NEW} by default).
         */
        public Builder sendBuffer(int capacity, OverflowPolicy policy) {
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
            }
            sendBufferCapacity = capacity;
            overflowPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The timers (heartbeat, ack timeouts, reconnection delays), as the server's; a test passes a
         * manual one. Default: {@link Scheduler#system()}.
         */
        public Builder scheduler(Scheduler value) {
            scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** The threads the event loop runs on (one task at a time whatever it is); default: virtual threads. */
        public Builder executor(Executor value) {
            executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** The source of the reconnection jitter; a test passes a fixed one. */
        public Builder random(RandomGenerator value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** The client (it connects when a socket does). */
        public EventClient build() {
            return new EventClient(this);
        }

        private URI engineUri() {
            String scheme = switch (server.getScheme().toLowerCase()) {
                case "https", "wss" -> "wss";
                default -> "ws";
            };
            String authority = server.getRawAuthority();
            return URI.create(scheme + "://" + authority + path + "?EIO=4&transport=websocket");
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
