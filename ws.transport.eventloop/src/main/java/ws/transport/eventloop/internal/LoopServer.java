package ws.transport.eventloop.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
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
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.PreparedMessage;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.engine.ProtocolConfig;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.DriverLogger;
import ws.protocol.driver.OpenConnections;
import ws.protocol.driver.Scheduler;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.server.ServerCore;
import ws.protocol.server.UpgradeDecision;
import ws.protocol.api.ServerMetrics;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.driver.ServerCounters;
import ws.transport.stream.JfrObserver;
import ws.transport.stream.ServerMBean;
import ws.transport.eventloop.layer.ChannelLayer;

/**
 * A server on event loops: the listening channel on the first loop, each accepted connection on the
 * next loop in turn, its HTTP phase ({@link HttpPhase}) and then its WebSocket driver on that loop.
 * It keeps the registries, broadcasts, and shuts down in the same order as the socket transports.
 */
public final class LoopServer implements WebSocketServer, ConnectionHost {
    private static final Logger LOG = LoggerFactory.getLogger(LoopServer.class);
    static final Future<?> NO_TIMER = CompletableFuture.completedFuture(null);
    /** Connections taken per accept readiness, so one loop's other connections are not kept waiting. */
    private static final int ACCEPT_BATCH = 64;

    private final ServerOptions options;
    /** Made once from the options: every connection shares it. */
    private final ProtocolConfig protocolConfig;
    private final ServerCore core;
    private final LoopGroup group;
    private final ServerSocketChannel listening;
    private final InetSocketAddress address;
    private final Set<HttpPhase> sessions = ConcurrentHashMap.newKeySet();
    /**
     * WebSocket connections from their upgrade request until they open (or end): with {@link #open},
     * every live connection, each in one registry (an entry per connection, not two).
     */
    private final Set<ConnectionDriver> opening = ConcurrentHashMap.newKeySet();
    private final OpenConnections open = new OpenConnections(Slf4jLogger.INSTANCE);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inputBuffers = new AtomicInteger();
    private final AtomicInteger finishesHandedOff = new AtomicInteger();
    /** Ends of connections that must wait for output: each on a hand-off thread, counted. */
    private final Executor finishers = task -> {
        finishesHandedOff.incrementAndGet();
        writers().execute(task);
    };
    /** The input of every upgraded connection: one for the server. */
    private final DriverInput driverInput = new DriverInput(finishers);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile SelectionKey acceptKey;
    private final ServerCounters counters = new ServerCounters();
    private final ConnectionObserver observer = ConnectionObserver.both(JfrObserver.create(), counters);
    /** The MXBean while it is registered ({@link ServerOptions#jmx()}), or null. */
    private volatile ServerMBean mbean;
    /** TLS for every accepted connection, or null. */
    private final ChannelLayer layer;

    private LoopServer(ServerOptions options, LoopGroup group, ServerSocketChannel listening, ChannelLayer layer)
            throws IOException {
        this.options = options;
        this.protocolConfig = options.connection().protocolConfig();
        this.layer = layer;
        this.core = new ServerCore(options);
        this.group = group;
        this.listening = listening;
        this.address = (InetSocketAddress) listening.getLocalAddress();
    }

    /**
     * Binds, starts {@code loops} loops and accepts; with {@code layer} (or null), every accepted
     * connection speaks through it (TLS), its handshake on the connection's loop within the handshake
     * timeout, before the HTTP phase reads a byte.
     */
    public static LoopServer start(ServerOptions options, int loops, int readBufferSize, ChannelLayer layer)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        LoopGroup group = null;
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(options.host(), Math.max(0, options.port())), options.backlog());
            channel.configureBlocking(false);
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            group = new LoopGroup("ws-loop-" + port, loops, false, readBufferSize);
            LoopServer server = new LoopServer(options, group, channel, layer);
            CompletableFuture<Void> registered = new CompletableFuture<>();
            Loop first = group.first();
            first.execute(() -> {
                try {
                    server.acceptKey = first.register(channel, SelectionKey.OP_ACCEPT, server::acceptReady);
                    registered.complete(null);
                } catch (IOException | RuntimeException e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get(10, TimeUnit.SECONDS);
            if (options.jmx()) {
                server.mbean = ServerMBean.register(server.counters, layer == null ? "eventloop" : "eventloop+tls", server.address);
            }
            LOG.debug("server listening on {} (eventloop transport, {} loops)", server.address, loops);
            return server;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (group != null) {
                group.stop();
            }
            throw e;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            channel.close();
            group.stop();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("could not start accepting: " + e, e);
        }
    }

    private void acceptReady(SelectionKey key, int readyOps) {
        for (int i = 0; i < ACCEPT_BATCH && !stopping.get(); i++) {
            SocketChannel accepted;
            try {
                accepted = listening.accept();
            } catch (IOException e) {
                // out of descriptors, say: stop selecting the listener briefly instead of spinning
                LOG.warn("accept on {} failed: {}", address, e.toString());
                key.interestOps(0);
                group.first().schedule(TimeUnit.MILLISECONDS.toNanos(50), () -> {
                    if (key.isValid()) {
                        key.interestOps(SelectionKey.OP_ACCEPT);
                    }
                });
                return;
            }
            if (accepted == null) {
                return;
            }
            Loop loop = group.next();
            loop.execute(() -> register(loop, accepted));
        }
    }

    private void register(Loop loop, SocketChannel accepted) {
        LoopChannel channel = null;
        try {
            accepted.configureBlocking(false);
            if (layer == null) {
                channel = LoopChannel.accepted(loop, accepted); // TCP_NODELAY at its second write
            } else {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel = LoopChannel.layered(loop, accepted, layer, null);
            }
            HttpPhase phase = new HttpPhase(this, channel);
            sessions.add(phase);
            if (stopping.get()) {
                sessions.remove(phase);
                accepted.close();
                return;
            }
            channel.register(phase);
            phase.start(); // its idle bound covers a TLS handshake too
        } catch (IOException | RuntimeException e) {
            LOG.debug("dropping an accepted connection: {}", e.toString());
            if (channel != null) {
                channel.close();
            } else {
                try {
                    accepted.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /**
     * An upgrade request ({@code headBytes} long, {@code rest} read after it, or null) arrived in
     * {@code phase}: a WebSocket driver takes the connection over, on its loop.
     */
    void upgrade(HttpPhase phase, LoopChannel channel, HandshakeRequest request, int headBytes, ByteBuffer rest) {
        sessions.remove(phase);
        if (stopping.get()) {
            channel.close();
            return;
        }
        ConnectionDriver driver = ConnectionDriver.server(this, request, headBytes);
        opening.add(driver);
        channel.switchTo(driverInput, driver);
        driver.start(channel, rest);
    }

    void sessionEnded(HttpPhase phase) {
        sessions.remove(phase);
    }

    ServerCore core() {
        return core;
    }

    /** The loops: their counters, for tests. */
    LoopGroup group() {
        return group;
    }

    /** Connections in their plain HTTP phase. */
    int httpCount() {
        return sessions.size();
    }

    /** An HTTP phase made an input buffer of its own (its request was not a whole upgrade in one read). */
    void inputBufferMade() {
        inputBuffers.incrementAndGet();
    }

    /** Input buffers the HTTP phases made so far: for tests. */
    int inputBuffers() {
        return inputBuffers.get();
    }

    /** Connection ends handed to a thread so far (the rest finished on their loop): for tests. */
    int finishesHandedOff() {
        return finishesHandedOff.get();
    }

    // ------------------------------------------------------------------------------------------
    // ConnectionHost

    @Override
    public Scheduler scheduler() {
        return group;
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
        open.add(connection); // before it leaves opening: live() never misses it
        opening.remove(connection);
    }

    @Override
    public void ended(ConnectionDriver connection) {
        open.remove(connection);
        opening.remove(connection);
    }

    /** Every WebSocket connection from its upgrade request to its end: the opening ones read first (see {@link #opened}). */
    private Collection<ConnectionDriver> live() {
        Set<ConnectionDriver> all = new java.util.LinkedHashSet<>(opening);
        all.addAll(open.drivers());
        return all;
    }

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

    /** See {@link OpenConnections#broadcast}: returns at once; a slow client never blocks the broadcaster. */
    @Override
    public void broadcast(PreparedMessage message, Predicate<WebSocket> filter) {
        open.broadcast(message, filter);
    }

    @Override
    public ServerMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public ConnectionObserver observer() {
        return observer;
    }

    /**
     * Stops accepting, ends the plain HTTP connections (held exchanges abandoned), sends 1001 to every
     * open connection (aborting those still in their opening handshake), waits up to {@code grace},
     * aborts those left, waits for them to end (bounded by the close timeout), then stops the loops.
     */
    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        Thread.ofVirtual().name("ws-shutdown-" + address.getPort()).start(() -> {
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
        ServerMBean registered = mbean;
        if (registered != null) {
            registered.unregister();
        }
        CompletableFuture<Void> unbound = new CompletableFuture<>();
        group.first().execute(() -> {
            SelectionKey key = acceptKey;
            if (key != null) {
                key.cancel();
                group.first().deregistered();
            }
            try {
                listening.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
            unbound.complete(null);
        });
        try {
            unbound.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("stopping the listener of {} took too long", address);
        }
        for (HttpPhase phase : new ArrayList<>(sessions)) {
            phase.stop();
        }
        List<ConnectionDriver> connections = new ArrayList<>(live());
        LOG.debug("shutting down {}: {} connections", address, connections.size());
        OpenConnections.goAway(connections, this::live, grace, Slf4jLogger.INSTANCE);
        long endBound = System.nanoTime() + options.connection().closeTimeout().toNanos();
        for (ConnectionDriver connection : live()) {
            try {
                connection.terminated().get(Math.max(1, endBound - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("{} is still running after shutdown (a listener callback that does not return?)", connection.id());
            }
        }
        while (!sessions.isEmpty() && System.nanoTime() < endBound) {
            Thread.sleep(10); // the loops close the HTTP connections they were told to stop
        }
        group.stop();
        LOG.debug("server on {} stopped", address);
    }

    /**
     * Graceful shutdown bounded by the close timeout. Called on one of this server's loops (a
     * listener callback), it starts the shutdown and returns: waiting there would wait for itself.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdown(options.connection().closeTimeout());
        if (group.inLoop()) {
            return;
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("shutdown of {} failed", address, e.getCause());
        }
    }

    @Override
    public String toString() {
        return "WebSocketServer[eventloop, " + address + ", " + open + "]";
    }
}
