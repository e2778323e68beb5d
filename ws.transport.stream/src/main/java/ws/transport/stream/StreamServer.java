package ws.transport.stream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
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
import ws.protocol.driver.OpenConnections;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.driver.ServerCounters;
import ws.protocol.api.ServerMetrics;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.ServerCore;
import ws.protocol.server.UpgradeDecision;

/**
 * A server whose connections run over byte streams, one thread each: what a socket transport's accept
 * loop, or ws.testkit's in-memory network, hands its connections to ({@link #accept}). It keeps the
 * registry of connections, broadcasts, and shuts down in order; each connection first serves plain
 * HTTP ({@link HttpSession}), then, on an upgrade, runs a {@link ConnectionDriver} on the same thread
 * ({@link StreamConnection}).
 */
public final class StreamServer extends StreamHost implements WebSocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(StreamServer.class);

    private final ServerOptions options;
    private final ServerCore core;
    private final InetSocketAddress address;
    /** What stops new connections (a socket transport's accept loop), or null; see {@link #onShutdown}. */
    private volatile Acceptor acceptor;
    /** Every connection in its plain HTTP phase, from accept to its end or its upgrade. */
    private final Set<HttpSession> sessions = ConcurrentHashMap.newKeySet();
    /** Every WebSocket connection with a live thread, from its upgrade request to its end. */
    private final ConcurrentHashMap<ConnectionDriver, StreamConnection> live = new ConcurrentHashMap<>();
    /** Open connections (handshake done, not yet ended). */
    private final OpenConnections open = new OpenConnections(Slf4jDriverLogger.INSTANCE);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final ConnectionThreads threads;
    private final ServerCounters counters;
    /** The MXBean while it is registered ({@link ServerOptions#jmx()}), or null. */
    private final ServerMBean mbean;

    /**
     * What brings connections to a server (a socket transport's accept loop): stopped first when the
     * server shuts down, so no connection arrives after the others were told to close.
     */
    public interface Acceptor {
        /** Stops accepting now (closes the listening socket); called as {@link #shutdown} starts. */
        void stopAccepting();

        /** Waits for the accepting thread, if any, to end. */
        void awaitStopped() throws InterruptedException;
    }

    /**
     * Makes a connection's wire, on the connection's own thread: the accepted channel itself, or a
     * layer over it (a TLS handshake, say).
     */
    @FunctionalInterface
    public interface WireOpener {
        /** The wire, ready to read and write. */
        Wire open() throws IOException;
    }

    private StreamServer(ServerOptions options, StreamSettings settings, Timers timers, InetSocketAddress address,
                         ServerCounters counters) {
        super(settings, timers, options.connection(), ConnectionObserver.both(JfrObserver.create(), counters));
        this.options = options;
        this.core = new ServerCore(options);
        this.address = address;
        this.threads = new ConnectionThreads(settings);
        this.counters = counters;
        this.mbean = options.jmx() ? ServerMBean.register(counters, settings.name(), address) : null;
    }

    /**
     * A server whose connections come from {@link #accept}.
     *
     * @param timers  the clock and timers its connections use; closed when the server stops
     * @param address what {@link #address()} reports (the bound socket address, or a loopback name)
     */
    public static StreamServer create(ServerOptions options, StreamSettings settings, Timers timers,
                                      InetSocketAddress address) {
        return new StreamServer(java.util.Objects.requireNonNull(options, "options"),
                java.util.Objects.requireNonNull(settings, "settings"), java.util.Objects.requireNonNull(timers, "timers"),
                address, new ServerCounters());
    }

    /** Stops {@code accepting} first when this server shuts down (once; a later call replaces it). */
    public void onShutdown(Acceptor accepting) {
        this.acceptor = accepting;
    }

    /** What {@link #onShutdown} registered, or null. */
    public Acceptor acceptor() {
        return acceptor;
    }

    /** Whether {@link #shutdown} was called. */
    public boolean isStopping() {
        return stopping.get();
    }

    /**
     * Runs a connection over {@code wire} (accepted elsewhere: an in-memory pipe in ws.testkit), on a
     * thread of the transport's factory, exactly as an accepted socket.
     *
     * @throws IllegalStateException when the server is shut down (the wire is closed)
     */
    public void accept(Wire wire) {
        java.util.Objects.requireNonNull(wire, "wire");
        accept(wire::close, () -> wire, null);
    }

    /**
     * Runs a connection on a thread of the transport's factory: {@code opener} makes its wire on that
     * thread (a TLS handshake, say, within the handshake timeout); {@code raw} is what to close
     * meanwhile on shutdown or timeout; {@code alreadyRead}, if not null, holds bytes of its input
     * read elsewhere.
     *
     * @throws IllegalStateException when the server is shut down ({@code raw} is closed)
     */
    public void accept(java.io.Closeable raw, WireOpener opener, ByteBuffer alreadyRead) {
        if (stopping.get()) {
            closeQuietly(raw);
            throw new IllegalStateException("the server is shut down");
        }
        spawn(raw, opener, alreadyRead);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** Starts a connection's thread; it serves plain HTTP until an upgrade request makes it a WebSocket. */
    private void spawn(java.io.Closeable socket, WireOpener opener, ByteBuffer alreadyRead) {
        HttpSession session = new HttpSession(this, socket, opener, alreadyRead);
        sessions.add(session);
        if (stopping.get()) {
            sessions.remove(session);
            closeQuietly(socket);
            return;
        }
        try {
            var holder = new java.util.concurrent.atomic.AtomicReference<>(session);
            threads.start("ws-" + session.id(), () -> HttpSession.runThread(holder));
        } catch (RuntimeException | OutOfMemoryError e) {
            sessions.remove(session);
            closeQuietly(socket);
            LOG.warn("could not start a thread for a connection: {}", e.toString());
        }
    }

    /**
     * An upgrade request ({@code headBytes} long, already parsed) arrived on {@code session}: the
     * WebSocket connection that takes over its wire (with {@code rest}, the bytes read after the head,
     * or null), to run on the session's thread; null when the server stops meanwhile.
     */
    StreamConnection upgrade(HttpSession session, Wire wire, java.io.Closeable raw, HandshakeRequest request,
                             int headBytes, ByteBuffer rest) {
        ConnectionDriver driver = ConnectionDriver.server(this, request, headBytes);
        driver.connecting(raw);
        StreamConnection connection = new StreamConnection(driver, c -> wire, rest, settings.readBufferSize());
        live.put(driver, connection); // first: a shutdown that stops the session after the hand-off sees the connection
        if (!session.handOff()) {
            live.remove(driver);
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

    /** The timers of this server's connections (also for its HTTP sessions). */
    Timers timers() {
        return timers;
    }

    /** The transport's settings. */
    StreamSettings settings() {
        return settings;
    }

    @Override
    public void opened(ConnectionDriver connection) {
        open.add(connection);
    }

    @Override
    public void ended(ConnectionDriver connection) {
        open.remove(connection);
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
        return open.snapshot();
    }

    @Override
    public Optional<WebSocket> connection(String id) {
        return open.find(id);
    }

    @Override
    public int connectionCount() {
        return open.size();
    }

    @Override
    public ServerMetrics metrics() {
        return counters.snapshot();
    }

    /** See {@link OpenConnections#broadcast}: returns at once; a slow client never blocks the broadcaster. */
    @Override
    public void broadcast(PreparedMessage message, Predicate<WebSocket> filter) {
        open.broadcast(message, filter);
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
        Acceptor accepting = acceptor;
        if (accepting != null) {
            accepting.stopAccepting();
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
        Acceptor accepting = acceptor;
        if (accepting != null) {
            accepting.awaitStopped();
        }
        // plain HTTP first: held exchanges are abandoned, and no session becomes a WebSocket after this
        List<HttpSession> plain = new ArrayList<>(sessions);
        for (HttpSession session : plain) {
            session.stop();
        }
        List<StreamConnection> connections = new ArrayList<>(live.values());
        LOG.debug("shutting down {}: {} connections", address, connections.size());
        OpenConnections.goAway(connections.stream().map(StreamConnection::driver).toList(), live::keySet, grace,
                Slf4jDriverLogger.INSTANCE);
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
        Set<StreamConnection> all = new java.util.LinkedHashSet<>(connections);
        all.addAll(live.values());
        for (StreamConnection connection : all) {
            long left = Math.max(1, endBound - System.nanoTime());
            try {
                connection.driver().terminated().get(left, TimeUnit.NANOSECONDS);
                connection.awaitRun(Math.max(1, endBound - System.nanoTime()));
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("{} is still running after shutdown (a listener callback that does not return?)",
                        connection.driver().id());
            }
        }
        threads.close(Duration.ofSeconds(5));
        if (mbean != null) {
            mbean.unregister();
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
        for (StreamConnection connection : live.values()) {
            if (connection.thread() == current) {
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

    /** Connections with a running thread, open or not, plain HTTP or WebSocket. */
    public int liveCount() {
        return live.size() + sessions.size();
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + settings.name() + ", " + address + ", " + open + "]";
    }
}
