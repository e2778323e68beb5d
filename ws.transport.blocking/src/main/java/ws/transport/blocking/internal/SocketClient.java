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

/**
 * A client on a socket transport: each connection connects and runs on its own thread from the
 * transport's factory; the timers are shared. {@link #close()} aborts the connections still open.
 */
public final class SocketClient implements WebSocketClient, ConnectionHost {
    private static final Logger LOG = LoggerFactory.getLogger(SocketClient.class);

    private final ClientOptions options;
    private final TransportSettings settings;
    private final Timers timers;
    private final Set<SocketConnection> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A client with these options on a transport with these settings; it starts no thread yet. */
    public SocketClient(ClientOptions options, TransportSettings settings) {
        this.options = Objects.requireNonNull(options, "options");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timers = new Timers(settings.name() + "-client");
    }

    /**
     * Connects to a {@code ws://} URI.
     *
     * @throws IllegalArgumentException for a {@code wss://} URI (that needs the TLS transport), another
     *                                  scheme, a URI without a host, or headers the protocol owns
     * @throws IllegalStateException    when the client is closed
     */
    @Override
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        SocketLayer layer = settings.layer();
        if (scheme.equals("wss") && !layer.scheme().equals("wss")) {
            throw new IllegalArgumentException("wss:// needs TLS, which the " + settings.name()
                    + " transport does not do: use the TLS transport (ws.transport.tls) for " + uri);
        }
        if (!scheme.equals(layer.scheme())) {
            throw new IllegalArgumentException("scheme \"" + uri.getScheme() + "\" of " + uri + " is not "
                    + layer.scheme() + " (the " + settings.name() + " transport)");
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
        SocketConnection connection = SocketConnection.client(this, engine,
                opening -> connectSocket(opening, bareHost, port, connectTimeout), listener);
        live.add(connection);
        try {
            Thread thread = settings.connectionThreads().newThread(connection::run);
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
    private Wire connectSocket(SocketConnection opening, String host, int port, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open();
        opening.rawSocket(channel);
        try {
            SocketServer.configure(channel.socket(), settings);
            InetSocketAddress target = new InetSocketAddress(host, port);
            if (target.isUnresolved()) {
                throw new java.net.UnknownHostException(host);
            }
            try {
                channel.socket().connect(target, (int) SocketConnection.millis(timeout));
            } catch (SocketTimeoutException e) {
                SocketTimeoutException named = new SocketTimeoutException("connect to " + target + " timed out after " + timeout);
                named.initCause(e);
                throw named;
            }
            LOG.debug("connected to {}", target);
            opening.handshakeStarts();
            SocketLayer layer = settings.layer();
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
    public Timers timers() {
        return timers;
    }

    @Override
    public TransportSettings settings() {
        return settings;
    }

    @Override
    public ConnectionOptions connectionOptions() {
        return options.connection();
    }

    @Override
    public void opened(SocketConnection connection) {
        // clients keep no registry of open connections beyond the live set
    }

    @Override
    public void ended(SocketConnection connection) {
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
        for (SocketConnection connection : live) {
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
