package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.PreparedMessage;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.DriverLogger;
import ws.protocol.driver.Scheduler;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.HandshakeDecision;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.Route;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * A server on a socket transport: an accept loop on its own platform thread (not a daemon: a
 * running server keeps the JVM alive until it is closed), a thread per connection from the
 * transport's factory, shared timers, and the registry of connections.
 */
public final class SocketServer implements WebSocketServer, ConnectionHost {
    /** Starts each connection's hand-off writer (see {@link ConnectionDriver}). */
    static final java.util.concurrent.Executor WRITERS = task -> Thread.ofVirtual().name("ws-writer").start(task);

    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final ServerOptions options;
    private final TransportSettings settings;
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final Timers timers;
    private final Thread acceptThread;
    /** Every connection with a live thread, from accept to its end. */
    private final ConcurrentHashMap<ConnectionDriver, SocketConnection> live = new ConcurrentHashMap<>();
    /** Open connections (handshake done, not yet ended), by id. */
    private final ConcurrentHashMap<String, ConnectionDriver> open = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private SocketServer(ServerOptions options, TransportSettings settings, ServerSocketChannel channel,
                         Timers timers, InetSocketAddress unboundAddress) throws IOException {
        this.options = options;
        this.settings = settings;
        this.channel = channel;
        this.address = channel == null ? unboundAddress : (InetSocketAddress) channel.getLocalAddress();
        String owner = settings.name() + "-" + (address == null ? "unbound" : address.getPort());
        this.timers = timers != null ? timers : Timers.system(owner);
        if (channel != null) {
            acceptThread = Thread.ofPlatform().daemon(false).name("ws-accept-" + address.getPort()).unstarted(this::acceptLoop);
        } else {
            acceptThread = null;
        }
    }

    /** Binds (unless the port is -1) and starts accepting. */
    public static SocketServer start(ServerOptions options, TransportSettings settings) throws IOException {
        ServerSocketChannel channel = null;
        if (options.port() >= 0) {
            channel = ServerSocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (settings.socketBufferSize() > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, settings.socketBufferSize());
                }
                channel.bind(new InetSocketAddress(options.host(), options.port()), options.backlog());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        SocketServer server = new SocketServer(options, settings, channel, null, null);
        if (server.acceptThread != null) {
            server.acceptThread.start();
        }
        LOG.debug("server listening on {} ({} transport)", server.address, settings.name());
        return server;
    }

    /**
     * A server that binds no socket: its connections come from {@link #accept(Wire)}. ws.testkit runs
     * its loopback transport this way, over in-memory wires and on a manual clock.
     *
     * @param timers  the clock and timers its connections use; closed when the server stops
     * @param address what {@link #address()} reports
     */
    public static SocketServer unbound(ServerOptions options, TransportSettings settings, Timers timers,
                                       InetSocketAddress address) {
        java.util.Objects.requireNonNull(timers, "timers");
        try {
            return new SocketServer(options, settings, null, timers, address);
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible); // only a bound channel can fail here
        }
    }

    /**
     * Runs a connection over {@code wire} (accepted elsewhere: an in-memory pipe in ws.testkit), on a
     * thread of the transport's factory, exactly as an accepted socket.
     *
     * @throws IllegalStateException when the server is shut down (the wire is closed)
     */
    public void accept(Wire wire) {
        java.util.Objects.requireNonNull(wire, "wire");
        if (stopping.get()) {
            wire.close();
            throw new IllegalStateException("the server is shut down");
        }
        spawn(wire::close, connection -> wire, null);
    }

    private void acceptLoop() {
        while (!stopping.get()) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (ClosedChannelException closed) {
                break;
            } catch (IOException e) {
                if (stopping.get()) {
                    break;
                }
                // out of descriptors, say: log and back off briefly instead of spinning
                LOG.warn("accept on {} failed: {}", address, e.toString());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    break;
                }
                continue;
            }
            try {
                configure(accepted.socket(), settings);
                spawn(accepted, connection -> open(accepted), null);
            } catch (IOException | RuntimeException e) {
                LOG.debug("dropping an accepted connection: {}", e.toString());
                closeQuietly(accepted);
            }
        }
        LOG.debug("accept loop on {} ended", address);
    }

    static void configure(Socket socket, TransportSettings settings) throws IOException {
        socket.setTcpNoDelay(true);
        if (settings.socketBufferSize() > 0) {
            socket.setSendBufferSize(settings.socketBufferSize());
            socket.setReceiveBufferSize(settings.socketBufferSize());
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /**
     * The wire of an accepted channel, on the connection's own thread: the channel itself, or the
     * transport's layer (TLS) wrapped around its socket, its handshake within the handshake timeout.
     */
    private Wire open(SocketChannel accepted) throws IOException {
        SocketLayer layer = settings.layer();
        if (layer == SocketLayer.PLAIN) {
            return new ChannelWire(accepted);
        }
        Socket wrapped = layer.wrapAccepted(accepted.socket());
        return wrapped == accepted.socket() ? new ChannelWire(accepted) : new StreamWire(wrapped, settings.gatherBufferSize());
    }

    private void spawn(java.io.Closeable socket, SocketConnection.WireOpener opener, ByteBuffer alreadyRead) {
        ConnectionDriver driver = ConnectionDriver.server(this);
        driver.connecting(socket);
        SocketConnection connection = new SocketConnection(driver, opener, alreadyRead, settings.readBufferSize());
        live.put(driver, connection);
        if (stopping.get()) {
            live.remove(driver);
            closeQuietly(socket);
            return;
        }
        Thread thread;
        try {
            thread = settings.connectionThreads().newThread(connection::run);
            thread.setName("ws-server-" + driver.id());
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            live.remove(driver);
            closeQuietly(socket);
            LOG.warn("could not start a thread for a connection: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------
    // ConnectionHost

    @Override
    public Scheduler scheduler() {
        return timers;
    }

    @Override
    public java.util.concurrent.Executor writers() {
        return WRITERS;
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
        open.put(connection.id(), connection);
    }

    @Override
    public void ended(ConnectionDriver connection) {
        open.remove(connection.id());
        live.remove(connection);
    }

    /**
     * Routes by path, then by subprotocol: a route speaking one of the offered subprotocols wins;
     * else a route on the path that speaks none accepts without a subprotocol (RFC 6455 section
     * 4.2.2 lets the server agree to none); else the request is refused, since every handler on the
     * path needs a subprotocol the client does not speak. Then the interceptor decides.
     */
    @Override
    public Decision decide(HandshakeRequest request, SocketAddress remoteAddress) {
        String path = request.path();
        if (!options.hasRouteFor(path)) {
            return new Reject(HandshakeResponse.text(404, "no WebSocket route for " + path));
        }
        List<String> offered = request.subprotocols();
        Optional<Route> found = options.route(path, offered);
        if (found.isEmpty()) {
            List<String> spoken = new ArrayList<>();
            for (Route route : options.routes()) {
                if (route.matches(path)) {
                    spoken.addAll(route.subprotocols());
                }
            }
            return new Reject(HandshakeResponse.text(400, "no subprotocol in common on " + path + ": offered "
                    + offered + ", spoken " + spoken));
        }
        Route route = found.get();
        String subprotocol = "";
        for (String preferred : route.subprotocols()) {
            if (offered.contains(preferred)) {
                subprotocol = preferred;
                break;
            }
        }
        HandshakeDecision decision;
        try {
            decision = options.interceptor().intercept(request, remoteAddress);
        } catch (RuntimeException e) {
            LOG.warn("the handshake interceptor failed on {} from {}", request.target(), remoteAddress, e);
            return new Reject(HandshakeResponse.text(500, "the handshake interceptor failed"));
        }
        if (decision == null) {
            LOG.warn("the handshake interceptor returned null for {} from {}", request.target(), remoteAddress);
            return new Reject(HandshakeResponse.text(500, "the handshake interceptor returned no decision"));
        }
        return switch (decision) {
            case HandshakeDecision.Reject reject -> new Reject(reject.response());
            case HandshakeDecision.Accept accept -> new Accept(route.listener(),
                    accept.subprotocol() != null ? accept.subprotocol() : subprotocol,
                    accept.headers(), accept.attributes());
        };
    }

    /** The HTTP handler's answer; without one, 426 on a route path (with the upgrade headers), else 404. */
    @Override
    public HandshakeResponse answer(HandshakeRequest request) {
        HttpHandler handler = options.httpHandler();
        if (handler != null) {
            HandshakeResponse response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("the HTTP handler returned no response for " + request.target());
            }
            return response;
        }
        String path = request.path();
        if (options.hasRouteFor(path)) {
            return HandshakeResponse.text(426, HandshakeResponse.reasonPhrase(426),
                    HttpHeaders.of("Sec-WebSocket-Version", "13", "Upgrade", "websocket", "Connection", "Upgrade"),
                    path + " speaks WebSocket: send an upgrade request (Upgrade: websocket)");
        }
        return HandshakeResponse.text(404, "nothing at " + path);
    }

    // ------------------------------------------------------------------------------------------
    // WebSocketServer

    @Override
    public ServerOptions options() {
        return options;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Collection<WebSocket> connections() {
        return List.copyOf(open.values());
    }

    @Override
    public Optional<WebSocket> connection(String id) {
        return Optional.ofNullable(open.get(id));
    }

    @Override
    public int connectionCount() {
        return open.size();
    }

    /**
     * Queues the message on every matching open connection and returns at once: the bytes are
     * written by hand-off threads, so a slow client never blocks the broadcaster. Above a client's
     * high-water mark the send fails for that client alone ({@code WAIT} counts as {@code FAIL}
     * here), or the client is dropped with 1008 under {@code CLOSE}.
     */
    @Override
    public void broadcast(PreparedMessage message, Predicate<WebSocket> filter) {
        for (ConnectionDriver connection : open.values()) {
            boolean wanted;
            try {
                wanted = filter.test(connection);
            } catch (RuntimeException e) {
                LOG.warn("broadcast filter failed on {}", connection.id(), e);
                continue;
            }
            if (wanted) {
                connection.sendBroadcast(message);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The socket is taken as it is: the transport's layer is not applied (hand over an
     * {@code SSLSocket} for TLS), and {@code alreadyRead} are bytes of its stream.
     */
    @Override
    public void handleUpgrade(Socket socket, ByteBuffer alreadyRead) {
        if (stopping.get()) {
            closeQuietly(socket);
            throw new IllegalStateException("the server is shut down");
        }
        ByteBuffer prefix = null;
        if (alreadyRead != null && alreadyRead.hasRemaining()) {
            prefix = ByteBuffer.allocate(alreadyRead.remaining()).put(alreadyRead).flip();
        }
        try {
            configure(socket, settings);
            SocketChannel socketChannel = socket.getChannel();
            Wire wire;
            if (socketChannel != null) {
                // the connection is ours now and runs blocking on its own thread
                socketChannel.configureBlocking(true);
                wire = new ChannelWire(socketChannel);
            } else {
                wire = new StreamWire(socket, settings.gatherBufferSize());
            }
            spawn(socket, connection -> wire, prefix);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new java.io.UncheckedIOException("cannot take over " + socket, e);
        } catch (java.nio.channels.IllegalBlockingModeException e) {
            closeQuietly(socket);
            throw new IllegalArgumentException("cannot take over " + socket
                    + ": its channel is registered with a selector; cancel the key first", e);
        }
    }

    /**
     * Stops accepting, sends 1001 to every open connection (aborting those still in their opening
     * handshake), waits up to {@code grace}, aborts those left, then waits for every connection
     * thread and the timer thread to end.
     */
    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        if (channel != null) {
            closeQuietly(channel);
        }
        Thread.ofVirtual().name("ws-shutdown-" + (address == null ? "unbound" : address.getPort())).start(() -> {
            try {
                stop(grace);
                stopped.complete(null);
            } catch (Throwable e) {
                stopped.completeExceptionally(e);
            }
        });
        return stopped;
    }

    private void stop(Duration grace) throws InterruptedException {
        if (acceptThread != null) {
            acceptThread.join();
        }
        List<SocketConnection> connections = new ArrayList<>(live.values());
        LOG.debug("shutting down {}: {} connections", address, connections.size());
        for (SocketConnection connection : connections) {
            connection.driver().goingAway();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (SocketConnection connection : connections) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                connection.driver().terminated().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                break;
            }
        }
        for (SocketConnection connection : new ArrayList<>(live.values())) {
            if (!connection.driver().terminated().isDone()) {
                LOG.debug("{} did not close within {}: aborting", connection.driver().id(), grace);
                connection.driver().abortWith(new ws.protocol.CloseStatus(ws.protocol.CloseCodes.ABNORMAL_CLOSURE,
                        "server shut down"));
            }
        }
        long endBound = System.nanoTime() + options.connection().closeTimeout().toNanos();
        Set<SocketConnection> all = new java.util.LinkedHashSet<>(connections);
        all.addAll(live.values());
        for (SocketConnection connection : all) {
            long left = Math.max(1, endBound - System.nanoTime());
            try {
                connection.driver().terminated().get(left, TimeUnit.NANOSECONDS);
                Thread thread = connection.thread();
                if (thread != null) {
                    thread.join(Duration.ofNanos(Math.max(1, endBound - System.nanoTime())));
                }
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("{} is still running after shutdown (a listener callback that does not return?)",
                        connection.driver().id());
            }
        }
        timers.close();
        timers.awaitTermination(Duration.ofSeconds(5));
        LOG.debug("server on {} stopped", address);
    }

    /**
     * Graceful shutdown bounded by the close timeout. Called from one of this server's own listener
     * callbacks, it starts the shutdown and returns: waiting there would wait for itself.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdown(options.connection().closeTimeout());
        Thread current = Thread.currentThread();
        for (SocketConnection connection : live.values()) {
            if (connection.thread() == current) {
                return;
            }
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("shutdown of {} failed", address, e.getCause());
        }
    }

    /** For tests: connections with a live thread, open or not. */
    int liveCount() {
        return live.size();
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + settings.name() + ", " + address + ", " + open.size() + " open]";
    }
}
