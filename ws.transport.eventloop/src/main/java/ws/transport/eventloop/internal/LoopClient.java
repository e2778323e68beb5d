package ws.transport.eventloop.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.engine.ProtocolConfig;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ClientConnections;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.driver.DriverLogger;
import ws.protocol.driver.Scheduler;
import ws.transport.stream.JfrObserver;
import ws.transport.eventloop.layer.ChannelLayer;
import ws.transport.eventloop.layer.DefaultTlsProvider;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A client on event loops. The TCP connect (within the connect timeout) runs on a virtual thread of
 * its own, since it blocks; the connected channel then joins a loop, where its driver sends the
 * opening request and reads. With a TLS layer, a {@code wss://} connection runs its TLS handshake on
 * the loop first (within the handshake timeout), and its driver starts once it is done. It connects
 * directly: the HTTP proxy tunnel ({@code ClientOptions.proxy}) is a layer of the socket transports.
 */
public final class LoopClient implements WebSocketClient, ConnectionHost {
    private final ClientOptions options;
    /** Made once from the options: every connection shares it. */
    private final ProtocolConfig protocolConfig;
    private final LoopGroup group;
    /** The input of every connection once its driver starts: one for the client. */
    private final DriverInput driverInput;
    private final ClientConnections connections;
    /** JFR events, as every client records them. */
    private final ConnectionObserver observer = JfrObserver.create();
    /** TLS for {@code wss://} URIs; null until a {@code wss://} URI needs the default one (if installed). */
    private volatile ChannelLayer tls;

    private LoopClient(ClientOptions options, LoopGroup group, ChannelLayer tls) {
        this.options = options;
        this.protocolConfig = options.connection().protocolConfig();
        this.group = group;
        this.driverInput = new DriverInput(group.writers());
        this.tls = tls;
        this.connections = new ClientConnections(this, options, this::launch);
    }

    /**
     * A client whose connections run on {@code loops} daemon loops; with {@code tls} (or null), it
     * connects to {@code wss://} URIs through it.
     */
    public static LoopClient create(ClientOptions options, int loops, int readBufferSize, ChannelLayer tls) {
        try {
            return new LoopClient(Objects.requireNonNull(options, "options"),
                    new LoopGroup("ws-client-loop", loops, true, readBufferSize), tls);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not open a selector", e);
        }
    }

    /**
     * Connects to {@code uri}; the future completes after {@code onOpen}.
     *
     * @throws IllegalArgumentException for a URI that is not {@code ws://} or {@code wss://} with a host,
     *                                  {@code wss://} without ws.transport.tls installed, or one the
     *                                  options send through an HTTP proxy
     * @throws IllegalStateException    when the client is closed
     */
    @Override
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        checkUri(uri);
        return connections.connect(uri, listener);
    }

    /**
     * Connects to {@code uri} and again after each loss, as {@code policy} says; the backoff waits run
     * on the loops' timers.
     *
     * @throws IllegalArgumentException as {@link #connect} does
     * @throws IllegalStateException    when the client is closed
     */
    @Override
    public ReconnectingWebSocket connectReconnecting(URI uri, WebSocketListener listener, Reconnect policy) {
        checkUri(uri);
        return connections.connectReconnecting(uri, listener, policy);
    }

    private void checkUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("wss") && tls == null) {
            tls = DefaultTls.PROVIDER.map(provider -> provider.defaultClientLayer(options.connection().handshakeTimeout()))
                    .orElseThrow(() -> new IllegalArgumentException("wss:// needs TLS: add the module ws.transport.tls to "
                            + "the module path (it is not installed), or use a ws:// URI, for " + uri));
        }
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("the eventloop transport speaks ws:// and wss:// only, not " + uri);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URI " + uri + " has no host");
        }
        if (options.proxy().proxyFor(uri).isPresent()) {
            throw new IllegalArgumentException("the eventloop transport connects directly; " + uri
                    + " is to go through the proxy " + options.proxy().proxyFor(uri).get()
                    + ": use a socket transport (virtual, blocking) for HTTP proxies");
        }
        if (connections.closed()) {
            throw new IllegalStateException("the client is closed");
        }
    }

    /** Starts one connection: TCP on a virtual thread, then a loop. */
    private void launch(URI uri, ConnectionDriver connection) {
        Thread.ofVirtual().name("ws-connect-" + connection.id()).start(() -> open(uri, connection));
    }

    /** On the connect thread: TCP, then the channel joins a loop. */
    private void open(URI uri, ConnectionDriver connection) {
        String host = uri.getHost();
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        InetSocketAddress origin = InetSocketAddress.createUnresolved(bareHost,
                uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80);
        SocketChannel channel;
        try {
            channel = connect(connection, origin);
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            connection.openFailed(e);
            connection.finish();
            return;
        }
        Loop loop = group.next();
        SocketChannel connected = channel;
        loop.execute(() -> {
            LoopChannel sink;
            try {
                if (!secure) {
                    sink = new LoopChannel(loop, connected);
                    sink.switchTo(driverInput, connection);
                    sink.register(driverInput);
                } else {
                    // TLS first; the driver starts (and writes its request) once the handshake is done
                    LoopChannel layered = LoopChannel.layered(loop, connected, tls, origin);
                    sink = layered;
                    connection.connecting(layered::close); // an abort (the handshake timeout) closes it
                    layered.register(new Opening(connection, group.writers()), () -> {
                        layered.switchTo(driverInput, connection);
                        connection.start(layered, null);
                    });
                    return;
                }
            } catch (IOException | RuntimeException e) {
                try {
                    connected.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
                connection.openFailed(e);
                group.writers().execute(connection::finish);
                return;
            }
            connection.start(sink, null);
        });
    }

    private SocketChannel connect(ConnectionDriver opening, InetSocketAddress first) throws IOException {
        SocketChannel channel = SocketChannel.open();
        opening.connecting(channel);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress target = new InetSocketAddress(first.getHostString(), first.getPort());
            if (target.isUnresolved()) {
                throw new java.net.UnknownHostException(first.getHostString());
            }
            Duration timeout = options.connectTimeout();
            try {
                channel.socket().connect(target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            } catch (SocketTimeoutException e) {
                SocketTimeoutException named = new SocketTimeoutException("connect to " + target + " timed out after " + timeout);
                named.initCause(e);
                throw named;
            }
            opening.handshakeStarts();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The installed provider of the default TLS client layer, looked up once. */
    private static final class DefaultTls {
        static final Optional<DefaultTlsProvider> PROVIDER = ServiceLoader
                .load(DefaultTlsProvider.class, DefaultTlsProvider.class.getClassLoader()).findFirst();
    }

    // ------------------------------------------------------------------------------------------
    // ConnectionHost

    @Override
    public Scheduler scheduler() {
        return group;
    }

    @Override
    public ConnectionObserver observer() {
        return observer;
    }

    @Override
    public ConnectionOptions connectionOptions() {
        return options.connection();
    }

    /** Made once with the options: every connection of this owner shares it. */
    @Override
    public ProtocolConfig protocolConfig() {
        return protocolConfig;
    }

    @Override
    public DriverLogger logger() {
        return Slf4jLogger.INSTANCE;
    }

    @Override
    public Executor writers() {
        return group.writers();
    }

    @Override
    public void opened(ConnectionDriver connection) {
        // clients keep no registry of open connections beyond the live set
    }

    @Override
    public void ended(ConnectionDriver connection) {
        connections.ended(connection);
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    /** Aborts every connection still running, then stops the loops once they ended. */
    @Override
    public void close() {
        connections.closeAll();
        Thread.ofVirtual().name("ws-client-close").start(() -> {
            long bound = System.nanoTime() + options.connection().closeTimeout().toNanos();
            for (ConnectionDriver connection : connections.live()) {
                try {
                    connection.terminated().get(Math.max(1, bound - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    break;
                }
            }
            group.stop();
        });
    }

    /** Connections still running. */
    int liveCount() {
        return connections.live().size();
    }

    /** The loops: their counters, for tests. */
    LoopGroup group() {
        return group;
    }

    @Override
    public String toString() {
        return "WebSocketClient[eventloop, " + connections.live().size() + " connections]";
    }
}
