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
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.ServerCore;
import ws.protocol.server.UpgradeDecision;

/**
 * A server on a socket transport: an accept loop on its own platform thread (not a daemon: a
 * running server keeps the JVM alive until it is closed), a thread per connection from the
 * transport's factory, shared timers, and the registry of connections.
 */
public final class SocketServer implements WebSocketServer, ConnectionHost {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final ServerOptions options;
    private final ServerCore core;
    private final TransportSettings settings;
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final Timers timers;
    private final Thread acceptThread;
    /** Every connection in its plain HTTP phase, from accept to its end or its upgrade. */
    private final Set<HttpSession> sessions = ConcurrentHashMap.newKeySet();
    /** Every WebSocket connection with a live thread, from its upgrade request to its end. */
    private final Set<SocketConnection> live = ConcurrentHashMap.newKeySet();
    /** Open connections (handshake done, not yet ended), by id. */
    private final ConcurrentHashMap<String, SocketConnection> open = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private SocketServer(ServerOptions options, TransportSettings settings, ServerSocketChannel channel,
                         Timers timers, InetSocketAddress unboundAddress) throws IOException {
        this.options = options;
        this.core = new ServerCore(options);
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
        spawn(wire::close, () -> wire, null);
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
                spawn(accepted, () -> open(accepted), null);
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

    /** Starts a connection's thread; it serves plain HTTP until an upgrade request makes it a WebSocket. */
    private void spawn(java.io.Closeable socket, HttpSession.Opener opener, ByteBuffer alreadyRead) {
        HttpSession session = new HttpSession(this, socket, opener, alreadyRead);
        sessions.add(session);
        if (stopping.get()) {
            sessions.remove(session);
            closeQuietly(socket);
            return;
        }
        Thread thread;
        try {
            var holder = new java.util.concurrent.atomic.AtomicReference<>(session);
            thread = settings.connectionThreads().newThread(() -> HttpSession.runThread(holder));
            thread.setName("ws-" + session.id());
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            sessions.remove(session);
            closeQuietly(socket);
            LOG.warn("could not start a thread for a connection: {}", e.toString());
        }
    }

    /**
     * An upgrade request arrived on {@code session}: the WebSocket connection that takes over its wire
     * (with {@code prefix}, the request's bytes and any after them), to run on the session's thread;
     * null when the server stops meanwhile.
     */
    SocketConnection upgrade(HttpSession session, Wire wire, java.io.Closeable raw, ByteBuffer prefix) {
        SocketConnection connection = SocketConnection.server(this, raw, c -> wire, prefix);
        live.add(connection); // first: a shutdown that stops the session after the hand-off sees the connection
        if (!session.handOff()) {
            live.remove(connection);
            return null;
        }
        return connection;
    }

    /** A session ended or handed off. */
    void sessionEnded(HttpSession session) {
        sessions.remove(session);
    }

    /** The transport-neutral decisions of this server. */
    ServerCore core() {
        return core;
    }

    // ------------------------------------------------------------------------------------------
    // ConnectionHost

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
        open.put(connection.id(), connection);
    }

    @Override
    public void ended(SocketConnection connection) {
        open.remove(connection.id());
        live.remove(connection);
    }

    /** The server core's decision; a failing interceptor is logged here. */
    @Override
    public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
        UpgradeDecision decision = core.decide(request, remoteAddress);
        if (decision instanceof UpgradeDecision.Reject reject && reject.failure() != null) {
            LOG.warn("the handshake interceptor failed on {} from {}", request.target(), remoteAddress, reject.failure());
        }
        return decision;
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
        for (SocketConnection connection : open.values()) {
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
     * Takes over a socket accepted elsewhere, as it is: the transport's layer is not applied (hand
     * over an {@code SSLSocket} for TLS), and {@code alreadyRead} are bytes of its stream. See
     * {@link ws.transport.blocking.BlockingTransport#handleUpgrade}.
     */
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
            spawn(socket, () -> wire, prefix);
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
        // plain HTTP first: held exchanges are abandoned, and no session becomes a WebSocket after this
        List<HttpSession> plain = new ArrayList<>(sessions);
        for (HttpSession session : plain) {
            session.stop();
        }
        List<SocketConnection> connections = new ArrayList<>(live);
        LOG.debug("shutting down {}: {} connections", address, connections.size());
        for (SocketConnection connection : connections) {
            connection.goingAway();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (SocketConnection connection : connections) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                connection.terminated().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                break;
            }
        }
        for (SocketConnection connection : new ArrayList<>(live)) {
            if (!connection.terminated().isDone()) {
                LOG.debug("{} did not close within {}: aborting", connection.id(), grace);
                connection.abortWith(new ws.protocol.CloseStatus(ws.protocol.CloseCodes.ABNORMAL_CLOSURE,
                        "server shut down"));
            }
        }
        long endBound = System.nanoTime() + options.connection().closeTimeout().toNanos();
        for (HttpSession session : plain) {
            try {
                session.terminated().get(Math.max(1, endBound - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // a response still being written to a client that does not read, or a handler that does not return
                LOG.warn("{} is still running after shutdown: closing its connection", session.id());
                session.abort();
                try {
                    session.terminated().get(5, TimeUnit.SECONDS); // its blocked write fails at once
                } catch (TimeoutException | ExecutionException stillStuck) {
                    LOG.warn("{} is still running (an HTTP handler that does not return?)", session.id());
                }
            }
        }
        Set<SocketConnection> all = new java.util.LinkedHashSet<>(connections);
        all.addAll(live);
        for (SocketConnection connection : all) {
            long left = Math.max(1, endBound - System.nanoTime());
            try {
                connection.terminated().get(left, TimeUnit.NANOSECONDS);
                Thread thread = connection.readerThread();
                if (thread != null) {
                    thread.join(Duration.ofNanos(Math.max(1, endBound - System.nanoTime())));
                }
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("{} is still running after shutdown (a listener callback that does not return?)",
                        connection.id());
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
        for (SocketConnection connection : live) {
            if (connection.readerThread() == current) {
                return;
            }
        }
        for (HttpSession session : sessions) {
            if (session.thread() == current) {
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

    /** For tests: connections with a live thread, open or not, plain HTTP or WebSocket. */
    int liveCount() {
        return live.size() + sessions.size();
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + settings.name() + ", " + address + ", " + open.size() + " open]";
    }
}
