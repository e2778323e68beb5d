package ws.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import ws.protocol.Side;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.testkit.internal.Endpoint;
import ws.transport.blocking.internal.SocketClient;
import ws.transport.blocking.internal.SocketServer;
import ws.transport.blocking.internal.Timers;
import ws.transport.blocking.internal.TransportSettings;

/**
 * An in-memory network with a {@link Transport} on it: servers and any number of clients connected
 * by in-memory pipes, no sockets and no ports. Connections run the same loop as the socket
 * transports (ws.transport.blocking's), so the user's real handlers see the same API and the same
 * threading contract: callbacks of one connection never run concurrently, sends are safe from any
 * thread, a slow listener slows only its own connection.
 *
 * <pre>{@code
 * try (Loopback net = Loopback.create()) {
 *     WebSocketServer server = WebSocketServer.builder().transport(net).route("/echo", new Echo()).start();
 *     WebSocket ws = net.client().connect(net.uri(server, "/echo"), listener).get(5, SECONDS);
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Addresses.</b> A server gets the port its options name, or a free one for port 0; its
 * {@link WebSocketServer#address() address} is the unresolved {@code loopback:port}. A client
 * connects to {@code ws://<any host>:<port>/path}: only the port is looked up; nothing there fails
 * the connect with a {@link ConnectException}. {@code wss://} URIs work too, without TLS (the
 * default port is then 443).
 *
 * <p><b>Time.</b> {@link #create()} puts every timer of every connection (keepalive, idle, close and
 * handshake timeouts) on a {@link ManualClock}: nothing times out until the test advances it.
 * {@link #withSystemClock()} uses real time instead.
 *
 * <p><b>Faults</b> are per connection: {@link #link(WebSocket)}, {@link #links()}, or
 * {@link #onNewLink} to set them before a connection's first byte.
 *
 * <p>{@link #close()} shuts down every server, client and raw peer made here and drops every link;
 * the connection threads end. This class is thread-safe.
 */
public final class Loopback implements Transport, AutoCloseable {
    /** The host name in loopback addresses. */
    public static final String HOST = "loopback";
    private static final int FIRST_PORT = 10_000;
    private static final int FIRST_CLIENT_PORT = 49_152;
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(1);
    /** Set on loopback connection threads. */
    private static final ThreadLocal<Boolean> ON_CONNECTION_THREAD = new ThreadLocal<>();

    private final ManualClock clock;
    private final TransportSettings settings;
    private final ConcurrentHashMap<Integer, Object> listening = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(FIRST_PORT);
    private final AtomicInteger nextClientPort = new AtomicInteger(FIRST_CLIENT_PORT);
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Consumer<Link>> linkSetups = new CopyOnWriteArrayList<>();
    private final List<LoopbackServer> servers = new CopyOnWriteArrayList<>();
    private final List<WebSocketClient> clients = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> rawThings = new CopyOnWriteArrayList<>();
    private final AtomicInteger clientCount = new AtomicInteger();
    private final AtomicInteger liveThreads = new AtomicInteger();
    private volatile boolean closed;

    private Loopback(ManualClock clock) {
        this.clock = clock;
        java.util.concurrent.ThreadFactory virtual = Thread.ofVirtual().name("ws-loopback-", 0).factory();
        java.util.concurrent.ThreadFactory counted = task -> {
            liveThreads.incrementAndGet();
            return virtual.newThread(() -> {
                ON_CONNECTION_THREAD.set(Boolean.TRUE);
                try {
                    task.run();
                } finally {
                    liveThreads.decrementAndGet();
                }
            });
        };
        this.settings = TransportSettings.platformThreads()
                .withConnectionThreads("loopback", -1000, counted)
                .withBuffers(16 << 10, 16 << 10, 0);
        if (clock != null) {
            clock.scheduler().beforeEachStep(() -> {
                // from a listener callback the network cannot settle: that connection is busy in it
                if (ON_CONNECTION_THREAD.get() == null) {
                    settle(SETTLE_BOUND);
                }
            });
        }
    }

    /** A loopback network whose connections' timers run on a {@link ManualClock}. */
    public static Loopback create() {
        return new Loopback(new ManualClock());
    }

    /** A loopback network whose timers run in real time (for tests that want real timeouts). */
    public static Loopback withSystemClock() {
        return new Loopback(null);
    }

    /**
     * The manual clock of this network.
     *
     * @throws IllegalStateException when it was made {@link #withSystemClock()}
     */
    public ManualClock clock() {
        if (clock == null) {
            throw new IllegalStateException("this loopback runs on the system clock (Loopback.withSystemClock())");
        }
        return clock;
    }

    /** Whether its timers run on a {@link ManualClock}. */
    public boolean hasManualClock() {
        return clock != null;
    }

    @Override
    public String name() {
        return "loopback";
    }

    /** Below every socket transport: a loopback is chosen explicitly, never by default. */
    @Override
    public int priority() {
        return -1000;
    }

    // ------------------------------------------------------------------------------------------
    // Servers and clients through the normal API

    /**
     * Starts a server on this network (what {@code WebSocketServer.builder().transport(loopback).start()}
     * calls).
     *
     * @throws java.net.BindException when the options name a port already in use here
     */
    @Override
    public WebSocketServer startServer(ServerOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        requireOpen();
        int port = bind(options.port());
        InetSocketAddress address = InetSocketAddress.createUnresolved(HOST, port);
        SocketServer server = SocketServer.unbound(options, settings, timers("server-" + port), address);
        LoopbackServer wrapped = new LoopbackServer(server, () -> listening.remove(port));
        listening.put(port, wrapped);
        servers.add(wrapped);
        return wrapped;
    }

    /** Starts a server with one route, default options otherwise. */
    public WebSocketServer startServer(String path, WebSocketListener listener) {
        try {
            return WebSocketServer.builder().transport(this).route(path, listener).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client on this network (what {@code WebSocketClient.builder().transport(loopback).build()} calls). */
    @Override
    public WebSocketClient newClient(ClientOptions options) {
        Objects.requireNonNull(options, "options");
        requireOpen();
        SocketClient client = new SocketClient(options, settings, timers("client-" + clientCount.incrementAndGet()),
                (uri, timeout) -> connectLink(portOf(uri)).clientWire());
        clients.add(client);
        return client;
    }

    /** A client with default options on this network. */
    public WebSocketClient client() {
        return newClient(WebSocketClient.builder().transport(this).options());
    }

    /** {@code ws://loopback:<port><path>} for a server on this network. */
    public URI uri(WebSocketServer server, String path) {
        return uri(server.port(), path);
    }

    /** {@code ws://loopback:<port><path>}. */
    public URI uri(int port, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path \"" + path + "\" does not start with /");
        }
        return URI.create("ws://" + HOST + ":" + port + path);
    }

    // ------------------------------------------------------------------------------------------
    // Raw peers

    /** A raw client connected to {@code server} (no handshake yet: call {@link RawPeer#handshake}). */
    public RawPeer rawClient(WebSocketServer server) {
        return rawClient(server.port(), RawPeer.DEFAULT_SEED);
    }

    /**
     * A raw client connected to whatever listens on {@code port}, masking with keys seeded by {@code seed}.
     *
     * @throws UncheckedIOException wrapping a {@link ConnectException} when nothing listens there
     */
    public RawPeer rawClient(int port, long seed) {
        Link link;
        try {
            link = connectLink(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RawPeer peer = new RawPeer(Endpoint.of(link.clientIn(), link.clientOut(), link::drop, link.toString()),
                Side.CLIENT, HOST + ":" + port, seed);
        rawThings.add(peer);
        return peer;
    }

    /** A raw server on a free port: clients of this network connect to it, the test accepts them. */
    public RawListener rawServer() {
        return rawServer(0);
    }

    /** A raw server on {@code port} (0: a free one). */
    public RawListener rawServer(int port) {
        requireOpen();
        int bound;
        try {
            bound = bind(port);
        } catch (java.net.BindException e) {
            throw new UncheckedIOException(e);
        }
        RawListener listener = new RawListener(this, bound);
        listening.put(bound, listener);
        rawThings.add(listener);
        return listener;
    }

    RawPeer rawServerPeer(Link link, long seed) {
        RawPeer peer = new RawPeer(Endpoint.of(link.serverIn(), link.serverOut(), link::drop, link.toString()),
                Side.SERVER, HOST + ":" + link.serverAddress().getPort(), seed);
        rawThings.add(peer);
        return peer;
    }

    void unbind(int port, Object listener) {
        listening.remove(port, listener);
    }

    // ------------------------------------------------------------------------------------------
    // Links and faults

    /**
     * Runs {@code setup} on every link made from now on, before its first byte: faults for the
     * opening handshake, say ({@code link -> link.toServer().oneByteAtATime()}).
     */
    public void onNewLink(Consumer<Link> setup) {
        linkSetups.add(Objects.requireNonNull(setup, "setup"));
    }

    /** Every link made so far, in order (closed ones included). */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /**
     * The link under {@code webSocket}, a client's or a server's connection on this network.
     *
     * @throws IllegalArgumentException when it is not a connection of this network
     */
    public Link link(WebSocket webSocket) {
        Object local = webSocket.localAddress();
        Object remote = webSocket.remoteAddress();
        for (Link link : links) {
            if (link.clientAddress().equals(local) || link.clientAddress().equals(remote)) {
                return link;
            }
        }
        throw new IllegalArgumentException(webSocket + " is not a connection of this loopback network");
    }

    /**
     * Waits (wall time, at most {@code bound}) until the network is quiet: every loop connection has
     * read and handled all bytes sent to it and waits for more, and no bytes moved for a moment. A
     * {@link ManualClock} does this before each timer action it runs, so that an answer in flight (a
     * pong to a keepalive ping, a close echo) is handled before the next deadline is checked. Stalled
     * links, and bytes towards a {@link RawPeer} (read only when a test waits), do not count.
     *
     * @return whether the network settled within {@code bound}
     */
    public boolean settle(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        long lastMoved = -1;
        int quietChecks = 0;
        while (true) {
            boolean settled = true;
            long moved = 0;
            for (Link link : links) {
                if (!link.isSettled()) {
                    settled = false;
                    break;
                }
                moved += link.toServer().bytesSent() + link.toClient().bytesSent();
            }
            if (settled && moved == lastMoved) {
                if (++quietChecks >= 2) {
                    return true;
                }
            } else {
                quietChecks = 0;
            }
            lastMoved = settled ? moved : -1;
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private Link connectLink(int port) throws IOException {
        if (closed) {
            throw new ConnectException("the loopback network is closed");
        }
        Object target = listening.get(port);
        if (target == null) {
            throw new ConnectException("connection refused: nothing listens on " + HOST + ":" + port);
        }
        Link link = new Link(InetSocketAddress.createUnresolved(HOST, nextClientPort.getAndIncrement()),
                InetSocketAddress.createUnresolved(HOST, port));
        for (Consumer<Link> setup : linkSetups) {
            setup.accept(link);
        }
        links.add(link);
        if (target instanceof LoopbackServer server) {
            try {
                server.delegate().accept(link.serverWire());
            } catch (IllegalStateException stopped) {
                throw new ConnectException("connection refused: the server on " + HOST + ":" + port + " is shut down");
            }
        } else if (target instanceof RawListener raw) {
            raw.offer(link);
        }
        return link;
    }

    private static int portOf(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("wss") ? 443 : 80;
    }

    private int bind(int requested) throws java.net.BindException {
        if (requested > 0) {
            if (listening.containsKey(requested)) {
                throw new java.net.BindException("address in use: " + HOST + ":" + requested);
            }
            return requested;
        }
        while (true) {
            int port = nextPort.getAndIncrement();
            if (!listening.containsKey(port)) {
                return port;
            }
        }
    }

    private Timers timers(String owner) {
        return clock != null ? clock.scheduler().timers(owner) : Timers.system("loopback-" + owner);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the loopback network is closed");
        }
    }

    // ------------------------------------------------------------------------------------------

    /**
     * Shuts down every server made here (1001 to open connections, up to 1 s of wall time), closes
     * every client and raw peer, drops every link, and waits (up to 5 s) for every connection thread
     * to end.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (LoopbackServer server : servers) {
            stopping.add(server.shutdown(Duration.ofSeconds(1)));
        }
        for (AutoCloseable raw : rawThings) {
            try {
                raw.close();
            } catch (Exception ignored) {
                // closing everything regardless
            }
        }
        waitFor(stopping, Duration.ofMillis(1500));
        for (WebSocketClient client : clients) {
            client.close();
        }
        for (Link link : links) {
            link.drop();
        }
        waitFor(stopping, Duration.ofSeconds(5));
        listening.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (liveThreads.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The connection threads of this network still running (each connection, client or server side,
     * runs on one virtual thread). {@link #close()} waits up to 5 s for this to reach zero.
     */
    public int connectionThreads() {
        return liveThreads.get();
    }

    private static void waitFor(List<CompletableFuture<Void>> futures, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (CompletableFuture<Void> future : futures) {
            try {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception ignored) {
                // a server that did not stop in time: its connections are dropped next
            }
        }
    }

    /** The server listening on {@code port}, if it is one of this network's WebSocket servers. */
    public Optional<WebSocketServer> server(int port) {
        return listening.get(port) instanceof LoopbackServer server ? Optional.of(server) : Optional.empty();
    }

    @Override
    public String toString() {
        return "Loopback[" + (clock != null ? clock : "system clock") + ", " + listening.size() + " listening, "
                + links.size() + " links]";
    }
}
