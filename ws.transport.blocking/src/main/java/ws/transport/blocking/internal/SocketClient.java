package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.DriverLogger;
import ws.protocol.driver.Scheduler;

/**
 * A client on a socket transport: each connection connects and runs on its own thread from the
 * transport's factory; the timers are shared. {@link #close()} aborts the connections still open.
 */
public final class SocketClient implements WebSocketClient, ConnectionHost {
    private static final Logger LOG = LoggerFactory.getLogger(SocketClient.class);

    private final ClientOptions options;
    private final TransportSettings settings;
    private final Timers timers;
    private final Set<ConnectionDriver> live = ConcurrentHashMap.newKeySet();
    private final Connector connector;
    private volatile boolean closed;

    /**
     * Opens the wire of a client connection instead of a TCP socket (ws.testkit: an in-memory pipe to
     * a loopback server). Called on the connection's own thread.
     */
    @FunctionalInterface
    public interface Connector {
        /**
         * Connects to what {@code uri} names.
         *
         * @param timeout the client's connect timeout
         * @throws IOException when nothing listens there (a {@link java.net.ConnectException})
         */
        Wire connect(URI uri, Duration timeout) throws IOException;
    }

    /** A client with these options on a transport with these settings; it starts no thread yet. */
    public SocketClient(ClientOptions options, TransportSettings settings) {
        this(options, settings, null, null);
    }

    /**
     * A client whose connections run over the wires {@code connector} opens, on {@code timers}
     * (ws.testkit's loopback transport). {@code null} for either means TCP sockets, system timers.
     */
    public SocketClient(ClientOptions options, TransportSettings settings, Timers timers, Connector connector) {
        this.options = Objects.requireNonNull(options, "options");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timers = timers != null ? timers : Timers.system(settings.name() + "-client");
        this.connector = connector;
    }

    /**
     * Connects to a {@code ws://} or {@code wss://} URI. For {@code wss://} the transport's TLS layer is
     * used, or, on a transport without one, the default client layer of ws.transport.tls (system trust
     * store, SNI, host name verification) when that module is installed.
     *
     * @throws IllegalArgumentException for a {@code wss://} URI without ws.transport.tls installed,
     *                                  another scheme, a URI without a host, or headers the protocol owns
     * @throws IllegalStateException    when the client is closed
     */
    @Override
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        SocketLayer layer;
        if (connector != null) {
            // in memory (ws.testkit): no TLS, whatever the scheme says
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new IllegalArgumentException("scheme \"" + uri.getScheme() + "\" of " + uri + " is not ws or wss");
            }
            layer = SocketLayer.PLAIN;
        } else {
            layer = layerFor(scheme, uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URI " + uri + " has no host");
        }
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        int port = uri.getPort() == -1 ? layer.defaultPort() : uri.getPort();
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        ClientProtocol engine = ClientProtocol.create(options.connection().protocolConfig(), uri,
                options.subprotocols(), options.headers());
        Duration connectTimeout = options.connectTimeout();
        ConnectionDriver connection = ConnectionDriver.client(this, engine, listener);
        SocketConnection running = new SocketConnection(connection,
                connector != null ? opening -> connector.connect(uri, connectTimeout)
                        : opening -> connectSocket(opening, bareHost, port, connectTimeout, layer),
                null, settings.readBufferSize());
        live.add(connection);
        try {
            Thread thread = settings.connectionThreads().newThread(running::run);
            thread.setName("ws-client-" + connection.id());
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            live.remove(connection);
            return CompletableFuture.failedFuture(e);
        }
        if (closed) {
            connection.abort();
        }
        return connection.openFuture();
    }

    /**
     * Connects on the connection's own thread (an abort closes the channel, failing the connect), then
     * wraps the socket in the transport's layer within the handshake timeout.
     */
    /**
     * The layer for a URI's scheme: the transport's own when it speaks that scheme; for
     * {@code wss://} on a plain transport, the default TLS client layer of ws.transport.tls when that
     * module is installed.
     */
    private SocketLayer layerFor(String scheme, URI uri) {
        SocketLayer own = settings.layer();
        if (scheme.equals(own.scheme())) {
            return own;
        }
        if (scheme.equals("wss") && own == SocketLayer.PLAIN) {
            SocketLayerProvider provider = DefaultTls.PROVIDER.orElseThrow(() -> new IllegalArgumentException(
                    "wss:// needs TLS: add the module ws.transport.tls to the module path (it is not installed), "
                            + "or use a ws:// URI, for " + uri));
            return provider.defaultClientLayer(options.connection().handshakeTimeout());
        }
        throw new IllegalArgumentException("scheme \"" + uri.getScheme() + "\" of " + uri + " is not "
                + own.scheme() + " (the " + settings.name() + " transport)");
    }

    /** The installed provider of the default TLS client layer, looked up once. */
    private static final class DefaultTls {
        static final java.util.Optional<SocketLayerProvider> PROVIDER = java.util.ServiceLoader
                .load(SocketLayerProvider.class, SocketLayerProvider.class.getClassLoader()).findFirst();
    }

    private Wire connectSocket(ConnectionDriver opening, String host, int port, Duration timeout, SocketLayer layer)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        opening.connecting(channel);
        try {
            SocketServer.configure(channel.socket(), settings);
            InetSocketAddress target = new InetSocketAddress(host, port);
            if (target.isUnresolved()) {
                throw new java.net.UnknownHostException(host);
            }
            try {
                channel.socket().connect(target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            } catch (SocketTimeoutException e) {
                SocketTimeoutException named = new SocketTimeoutException("connect to " + target + " timed out after " + timeout);
                named.initCause(e);
                throw named;
            }
            LOG.debug("connected to {}", target);
            opening.handshakeStarts();
            if (layer == SocketLayer.PLAIN) {
                return new ChannelWire(channel);
            }
            java.net.Socket wrapped = layer.wrapConnected(channel.socket(), host, port);
            return wrapped == channel.socket() ? new ChannelWire(channel) : new StreamWire(wrapped, settings.gatherBufferSize());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Scheduler scheduler() {
        return timers;
    }

    @Override
    public java.util.concurrent.Executor writers() {
        return SocketServer.WRITERS;
    }

    @Override
    public DriverLogger logger() {
        return Slf4jDriverLogger.INSTANCE;
    }

    @Override
    public ConnectionOptions connectionOptions() {
        return options.connection();
    }

    @Override
    public void opened(ConnectionDriver connection) {
        // clients keep no registry of open connections beyond the live set
    }

    @Override
    public void ended(ConnectionDriver connection) {
        live.remove(connection);
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    /** Aborts every connection still running and stops the timers. */
    @Override
    public void close() {
        closed = true;
        for (ConnectionDriver connection : live) {
            connection.abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "client closed"));
        }
        timers.close();
    }

    /** For tests: connections with a live thread. */
    int liveCount() {
        return live.size();
    }

    @Override
    public String toString() {
        return "WebSocketClient[" + settings.name() + ", " + live.size() + " connections]";
    }
}
