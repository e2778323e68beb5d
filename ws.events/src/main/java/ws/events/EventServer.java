package ws.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import ws.events.internal.engine.CorsPolicy;
import ws.events.internal.engine.EngineConfig;
import ws.events.internal.engine.EngineHandler;
import ws.events.internal.engine.EngineServer;
import ws.events.internal.engine.EngineSession;
import ws.events.internal.wire.EnginePacket;
import ws.events.internal.wire.WireJson;
import ws.events.internal.wire.WireLimits;
import ws.events.spi.AdapterFactory;
import ws.protocol.api.ServerOptions;

/**
 * An event server speaking Socket.IO v5 over Engine.IO v4, so the official Socket.IO clients
 * (JavaScript in browsers and Node, Java, Swift, Kotlin) connect to it unchanged, over WebSocket or
 * HTTP long-polling with the upgrade. It mounts on a {@link ws.protocol.api.WebSocketServer}:
 *
 * <pre>{@code
 * EventServer events = EventServer.builder().recovery(Recovery.defaults()).build();
 * events.of("/chat").onConnection(socket -> {
 *     socket.on("message", Message.class, (message, event) -> socket.to("lobby").emit("message", message));
 * });
 * WebSocketServer server = events.mount(WebSocketServer.builder().port(8080)).start();
 * }</pre>
 *
 * <p>Layers: Engine.IO sessions and transports, the Socket.IO codec, namespaces with their sockets
 * and rooms, and an {@link ws.events.spi.Adapter} per namespace for every broadcast. Arguments are
 * bound by one shared, configurable Jackson {@link ObjectMapper}; their packages must be open to
 * {@code com.fasterxml.jackson.databind} (and to {@code ws.events} for {@link Arguments#as}).
 * Thread-safe.
 */
public final class EventServer implements AutoCloseable {
    /** The server's own default bound on HTTP request bodies (ServerOptions' maxHttpBodySize). */
    private static final int DEFAULT_MAX_HTTP_BODY = 1 << 20;
    /** A frozen copy of the builder. */
    private final Builder options;
    private final ObjectMapper mapper;
    private final EngineServer engine;
    private final WireLimits limits;
    private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<NamespaceGroup> groups = new CopyOnWriteArrayList<>();

    private EventServer(Builder options) {
        this.options = options;
        this.mapper = options.mapper;
        this.limits = new WireLimits(options.maxPayload, options.maxNestingDepth, options.maxAttachments);
        this.engine = new EngineServer(new EngineConfig(options.pingInterval, options.pingTimeout, options.maxPayload,
                options.upgradeTimeout, options.polling, options.websocket, options.maxBufferedBytes, options.maxSessionsPerAddress,
                new CorsPolicy(options.cors.origins(), options.cors.credentials(), options.cors.allowedHeaders(), options.cors.maxAge()),
                (delay, action) -> options.scheduler.schedule(delay, action)::cancel), new Handler());
        of("/");
    }

    /** A builder with socket.io's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds this server to a WebSocket server's options: the WebSocket transport on the path (its
     * handshakes checked by the Engine.IO rules) and long-polling on the same path. Returns the
     * builder, to go on with it.
     */
    public ServerOptions.Builder mount(ServerOptions.Builder server) {
        server.route(options.path, engine.interceptor(), engine.webSocketListener())
                .http(options.path + "*", engine.pollingHandler());
        if (options.maxPayload > DEFAULT_MAX_HTTP_BODY) {
            server.maxHttpBodySize(options.maxPayload);
        }
        return server;
    }

    /** The path it serves ({@code "/socket.io/"}). */
    public String path() {
        return options.path;
    }

    /** The main namespace, {@code "/"}. */
    public Namespace sockets() {
        return of("/");
    }

    /** The namespace with this name, made on first use. */
    public Namespace of(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith("/")) {
            throw new IllegalArgumentException("a namespace name starts with /: \"" + name + "\"");
        }
        return namespaces.computeIfAbsent(name, n -> new Namespace(this, n, null));
    }

    /** Dynamic namespaces: every name the predicate accepts, made when a client first asks for it. */
    public NamespaceGroup of(Predicate<String> names) {
        NamespaceGroup group = new NamespaceGroup(this, Objects.requireNonNull(names, "names"));
        groups.add(group);
        return group;
    }

    /** Dynamic namespaces whose whole name matches {@code pattern}. */
    public NamespaceGroup of(Pattern pattern) {
        return of(name -> pattern.matcher(name).matches());
    }

    /** The namespaces made so far. */
    public Collection<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /** The shared mapper that binds and writes arguments. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** The number of open Engine.IO sessions (connections). */
    public int connectionCount() {
        return engine.sessionCount();
    }

    /** Disconnects every client ("server shutting down") and refuses new ones. */
    @Override
    public void close() {
        engine.close();
        for (Namespace namespace : namespaces.values()) {
            namespace.close();
        }
    }

    // ---------------------------------------------------------------------------------------------

    Optional<Namespace> namespaceFor(String name) {
        Namespace existing = namespaces.get(name);
        if (existing != null) {
            return Optional.of(existing);
        }
        for (NamespaceGroup group : groups) {
            if (group.accepts(name)) {
                if (namespaces.size() >= options.maxDynamicNamespaces && !namespaces.containsKey(name)) {
                    return Optional.empty(); // bounded: clients cannot make namespaces without end
                }
                return Optional.of(namespaces.computeIfAbsent(name, n -> new Namespace(this, n, group)));
            }
        }
        return Optional.empty();
    }

    EngineServer engine() {
        return engine;
    }

    WireLimits limits() {
        return limits;
    }

    Scheduler scheduler() {
        return options.scheduler;
    }

    AdapterFactory adapterFactory() {
        return options.adapterFactory;
    }

    Recovery recovery() {
        return options.recovery;
    }

    RateLimit rateLimit() {
        return options.rateLimit;
    }

    Duration ackTimeout() {
        return options.ackTimeout;
    }

    int maxNamespacesPerConnection() {
        return options.maxNamespacesPerConnection;
    }

    Duration connectTimeout() {
        return options.connectTimeout;
    }

    static String newId() {
        return EngineServer.newId();
    }

    /** {@code [event, args...]} as written by the mapper; binary stays binary. */
    ArrayNode eventData(String event, Object[] args) {
        return WireJson.event(mapper, event, args);
    }

    ArrayNode argumentData(Object[] args) {
        return WireJson.arguments(mapper, args);
    }

    /** The Engine.IO layer's events, to the Socket.IO clients. */
    private final class Handler implements EngineHandler {
        @Override
        public void onOpen(EngineSession session) {
            session.attach(new Client(EventServer.this, session));
        }

        @Override
        public void onMessage(EngineSession session, EnginePacket message) {
            if (session.attachment() instanceof Client client) {
                client.onMessage(message);
            }
        }

        @Override
        public void onClose(EngineSession session, String reason) {
            if (session.attachment() instanceof Client client) {
                client.onClose(reason);
            }
        }
    }

    /** Collects the settings of an {@link EventServer}; the defaults are socket.io's. */
    public static final class Builder {
        private String path = "/socket.io/";
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private int maxPayload = 1_000_000;
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(45);
        private Duration ackTimeout = Duration.ofSeconds(10);
        private boolean polling = true;
        private boolean websocket = true;
        private long maxBufferedBytes = 16L << 20;
        private int maxSessionsPerAddress = 256;
        private int maxNamespacesPerConnection = 32;
        private int maxDynamicNamespaces = 10_000;
        private Cors cors = Cors.none();
        private ObjectMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        private Scheduler scheduler = Scheduler.system();
        private AdapterFactory adapterFactory = AdapterFactory.inMemory();
        private Recovery recovery;
        private RateLimit rateLimit;
        private int maxNestingDepth = 32;
        private int maxAttachments = 10;

        private Builder() {
        }

        /** The path of both transports; {@code "/socket.io/"} by default (the clients' default). */
        public Builder path(String value) {
            Objects.requireNonNull(value, "path");
            if (!value.startsWith("/") || !value.endsWith("/")) {
                throw new IllegalArgumentException("the path starts and ends with /: \"" + value + "\"");
            }
            path = value;
            return this;
        }

        /** Heartbeat: how often the server pings (25 s) and how long it waits for the pong (20 s). */
        public Builder heartbeat(Duration interval, Duration timeout) {
            pingInterval = positive(interval, "ping interval");
            pingTimeout = positive(timeout, "ping timeout");
            return this;
        }

        /**
         * The largest message a client may send, and the largest long-polling request body (1 MB);
         * told to clients in the handshake. Also bounds each binary attachment.
         */
        public Builder maxPayload(int bytes) {
            maxPayload = (int) positive(bytes, "maxPayload");
            return this;
        }

        /** How long an upgrade from long-polling to WebSocket may take (10 s). */
        public Builder upgradeTimeout(Duration value) {
            upgradeTimeout = positive(value, "upgrade timeout");
            return this;
        }

        /** How long a connection may stay without joining any namespace (45 s). */
        public Builder connectTimeout(Duration value) {
            connectTimeout = positive(value, "connect timeout");
            return this;
        }

        /** The default timeout of {@link EventSocket#emitWithAck} (10 s). */
        public Builder ackTimeout(Duration value) {
            ackTimeout = positive(value, "ack timeout");
            return this;
        }

        /** Which transports are offered (both by default); WebSocket only disables the upgrade too. */
        public Builder transports(boolean longPolling, boolean webSocket) {
            if (!longPolling && !webSocket) {
                throw new IllegalArgumentException("at least one transport must be enabled");
            }
            polling = longPolling;
            websocket = webSocket;
            return this;
        }

        /**
         * The most bytes queued for one client, before it is disconnected ("transport error"): a
         * long-polling client that does not poll, a WebSocket client that does not read (16 MiB, the
         * WebSocket high-water mark's default; keep it below the server's high-water mark so that a
         * slow client never makes a broadcast wait).
         */
        public Builder maxBufferedBytes(long bytes) {
            maxBufferedBytes = positive(bytes, "maxBufferedBytes");
            return this;
        }

        /**
         * The most connections open at once from one client address (256); more are refused (403, code
         * 4 "Forbidden", or a WebSocket closed with 1008). Behind a proxy every client has the proxy's
         * address: raise it there.
         */
        public Builder maxSessionsPerAddress(int count) {
            maxSessionsPerAddress = (int) positive(count, "maxSessionsPerAddress");
            return this;
        }

        /**
         * The most namespaces one connection may join at once (32); a CONNECT beyond is refused with
         * CONNECT_ERROR "Too many namespaces".
         */
        public Builder maxNamespacesPerConnection(int count) {
            maxNamespacesPerConnection = (int) positive(count, "maxNamespacesPerConnection");
            return this;
        }

        /**
         * Dynamic namespaces are made only while the server has fewer namespaces than this (10,000);
         * beyond, a CONNECT to a new name is refused as an invalid namespace. Dynamic namespaces stay
         * once made.
         */
        public Builder maxDynamicNamespaces(int count) {
            maxDynamicNamespaces = (int) positive(count, "maxDynamicNamespaces");
            return this;
        }

        /** Cross-origin rules for long-polling ({@link Cors#none()} by default). */
        public Builder cors(Cors value) {
            cors = Objects.requireNonNull(value, "cors");
            return this;
        }

        /** The mapper that binds and writes every argument (by default: unknown properties ignored). */
        public Builder mapper(ObjectMapper value) {
            mapper = Objects.requireNonNull(value, "mapper");
            return this;
        }

        /** The timers' scheduler ({@link Scheduler#system()} by default). */
        public Builder scheduler(Scheduler value) {
            scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** Makes each namespace's adapter ({@link AdapterFactory#inMemory()} by default). */
        public Builder adapter(AdapterFactory value) {
            adapterFactory = Objects.requireNonNull(value, "adapter");
            return this;
        }

        /** Turns connection state recovery on (off by default). */
        public Builder recovery(Recovery value) {
            recovery = Objects.requireNonNull(value, "recovery");
            return this;
        }

        /** Limits the events each socket may send (no limit by default). */
        public Builder rateLimit(RateLimit value) {
            rateLimit = Objects.requireNonNull(value, "rateLimit");
            return this;
        }

        /** Bounds on received packets: JSON nesting depth (32) and binary attachments per packet (10). */
        public Builder packetLimits(int nestingDepth, int attachments) {
            if (nestingDepth < 1 || attachments < 0) {
                throw new IllegalArgumentException("nesting depth " + nestingDepth + " and attachments " + attachments
                        + " must be positive");
            }
            maxNestingDepth = nestingDepth;
            maxAttachments = attachments;
            return this;
        }

        /** Builds the server (it serves once mounted). */
        public EventServer build() {
            return new EventServer(copy());
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.path = path;
            copy.pingInterval = pingInterval;
            copy.pingTimeout = pingTimeout;
            copy.maxPayload = maxPayload;
            copy.upgradeTimeout = upgradeTimeout;
            copy.connectTimeout = connectTimeout;
            copy.ackTimeout = ackTimeout;
            copy.polling = polling;
            copy.websocket = websocket;
            copy.maxBufferedBytes = maxBufferedBytes;
            copy.maxSessionsPerAddress = maxSessionsPerAddress;
            copy.maxNamespacesPerConnection = maxNamespacesPerConnection;
            copy.maxDynamicNamespaces = maxDynamicNamespaces;
            copy.cors = cors;
            copy.mapper = mapper;
            copy.scheduler = scheduler;
            copy.adapterFactory = adapterFactory;
            copy.recovery = recovery;
            copy.rateLimit = rateLimit;
            copy.maxNestingDepth = maxNestingDepth;
            copy.maxAttachments = maxAttachments;
            return copy;
        }

        private static long positive(long value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " " + value + " must be positive");
            }
            return value;
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }
    }
}
