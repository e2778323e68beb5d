package ws.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import ws.protocol.Side;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.Scheduler;
import ws.protocol.driver.Sink;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;
import ws.testkit.internal.Endpoint;

/**
 * One real connection (the SDK's connection driver and engine, as every transport runs them) with no
 * socket and no thread: the test plays the network, step by step, as with Netty's
 * {@code EmbeddedChannel}. What the peer sends goes in with {@link #writeInbound}; what the connection
 * wrote comes out with {@link #readOutbound()} (or through {@link #peer()}, a {@link RawPeer} on the
 * far side); time moves only with {@link #advance}. Listener callbacks run on the test's thread, during
 * the call that caused them, so a test reads like the sequence of events it checks.
 *
 * <pre>{@code
 * EmbeddedConnection server = EmbeddedConnection.server(listener, ConnectionOptions.defaults()
 *         .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10)));
 * RawPeer client = server.peer();
 * client.handshake("/chat");
 * server.advance(Duration.ofSeconds(30));
 * client.awaitFrame(Frame.PING, Duration.ZERO);       // the keepalive ping, written already
 * server.advance(Duration.ofSeconds(10));              // no pong: the peer is dead
 * assertEquals(1006, server.webSocket().closeFuture().join().code());
 * }</pre>
 *
 * <p><b>Writing.</b> By default the far side takes every byte at once. {@link #stallOutput()} makes it
 * take none (a peer that stopped reading): the connection's bytes then stay queued, counted in
 * {@code bufferedAmount}, and the writes the driver hands off wait as tasks until
 * {@link #resumeOutput()} (or {@link #runPendingTasks()}) runs them. Backpressure policies, a pong that
 * overtakes a large message, and send futures can so be checked exactly.
 *
 * <p><b>The end.</b> When the connection closes its transport (a timeout, an abort, or after the close
 * handshake once the peer ended its output), the embedded transport ends as a socket's loop would, and
 * {@code onClose} runs on the test's thread. Loopback remains the choice for end-to-end tests of
 * clients and servers; this class is for one connection's behaviour, exactly and without waiting.
 *
 * <p>Not thread-safe: drive it from one thread.
 */
public final class EmbeddedConnection implements AutoCloseable {
    private static final InetSocketAddress LOCAL = InetSocketAddress.createUnresolved("embedded", 1);
    private static final InetSocketAddress REMOTE = InetSocketAddress.createUnresolved("peer", 2);

    private final ManualClock clock = new ManualClock();
    private final ConnectionDriver driver;
    private final EmbeddedSink sink = new EmbeddedSink();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Executor writers = this::execute;
    private ByteBuffer outbound = ByteBuffer.allocate(4096).flip();
    /** Bytes the peer takes without waiting from now on; {@code Long.MAX_VALUE}: all. */
    private long budget = Long.MAX_VALUE;
    private boolean inputEnded;
    private boolean finished;
    private boolean settling;
    private RawPeer peer;

    private static final ws.protocol.driver.ConnectionObserver OBSERVER = ws.transport.stream.JfrObserver.create();

    private EmbeddedConnection(Side side, ConnectionOptions options, WebSocketListener listener, URI uri,
                               ws.protocol.api.ClientOptions clientOptions) {
        Scheduler scheduler = clock.scheduler().timers("embedded");
        ws.protocol.engine.ProtocolConfig config = options.protocolConfig();
        ConnectionHost host = new ConnectionHost() {
            @Override
            public Scheduler scheduler() {
                return scheduler;
            }

            @Override
            public Executor writers() {
                return writers;
            }

            @Override
            public Executor tasks() {
                // a streamed message's handler reads while the test's thread feeds it: a thread of its own
                return task -> Thread.ofVirtual().name("embedded-task").start(task);
            }

            @Override
            public ConnectionOptions connectionOptions() {
                return options;
            }

            @Override
            public ws.protocol.engine.ProtocolConfig protocolConfig() {
                return config;
            }

            @Override
            public ws.protocol.driver.ConnectionObserver observer() {
                return OBSERVER; // JFR events, as on every transport
            }

            @Override
            public void opened(ConnectionDriver connection) {
                // one connection, no registry
            }

            @Override
            public void ended(ConnectionDriver connection) {
                // one connection, no registry
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
                // the first subprotocol offered, if any: the listener speaks what the test says
                List<String> offered = request.subprotocols();
                return new UpgradeDecision.Accept(listener, offered.isEmpty() ? "" : offered.get(0), HttpHeaders.empty(), Map.of());
            }
        };
        if (side == Side.SERVER) {
            driver = ConnectionDriver.server(host);
        } else {
            driver = ConnectionDriver.client(host, ClientProtocol.create(config, uri,
                    clientOptions.subprotocols(), clientOptions.headers()), listener);
        }
        clock.scheduler().beforeEachStep(this::settle);
        driver.handshakeStarts();
        driver.start(sink, null);
        settle();
    }

    /**
     * A server connection that accepts any upgrade request with {@code listener} (and the first
     * subprotocol offered, if any), with default options.
     */
    public static EmbeddedConnection server(WebSocketListener listener) {
        return server(listener, ConnectionOptions.defaults());
    }

    /** A server connection with these options; see {@link #server(WebSocketListener)}. */
    public static EmbeddedConnection server(WebSocketListener listener, ConnectionOptions options) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(options, "options");
        return new EmbeddedConnection(Side.SERVER, options, listener, null, null);
    }

    /**
     * A client connection to {@code uri} (its opening request is written at once: read it with
     * {@link #readOutbound()}, or answer it with {@link #peer()}'s {@code acceptHandshake}).
     */
    public static EmbeddedConnection client(URI uri, WebSocketListener listener) {
        return client(uri, listener, ws.protocol.api.WebSocketClient.builder().options());
    }

    /** A client connection with these options; see {@link #client(URI, WebSocketListener)}. */
    public static EmbeddedConnection client(URI uri, WebSocketListener listener, ws.protocol.api.ClientOptions options) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        return new EmbeddedConnection(Side.CLIENT, options.connection(), listener, uri, options);
    }

    /** The connection, as its listener sees it: send on it, close it, read its state. */
    public WebSocket webSocket() {
        return driver;
    }

    /** The connection's clock: keepalive, idle, close and handshake deadlines run on it. */
    public ManualClock clock() {
        return clock;
    }

    /** Moves the clock forward, running the deadlines due; what they cause happens before this returns. */
    public void advance(Duration amount) {
        clock.advance(amount);
        settle();
    }

    // ------------------------------------------------------------------------------------------
    // The network, played by the test

    /** Bytes from the peer: the connection reads them now (its listener runs before this returns). */
    public void writeInbound(ByteBuffer bytes) {
        if (finished || inputEnded) {
            throw new IllegalStateException("the connection's input is over: " + this);
        }
        driver.receive(bytes);
        settle();
    }

    /** Bytes from the peer; see {@link #writeInbound(ByteBuffer)}. */
    public void writeInbound(byte[] bytes) {
        writeInbound(ByteBuffer.wrap(bytes));
    }

    /** The peer ended its output (TCP FIN). */
    public void writeInboundEof() {
        if (finished || inputEnded) {
            return;
        }
        inputEnded = true;
        driver.receiveEof();
        settle();
    }

    /** The connection was reset (a read fails): it ends at once with 1006. */
    public void reset() {
        if (finished || inputEnded) {
            return;
        }
        inputEnded = true;
        driver.readFailed(new IOException("connection reset by the embedded peer"));
        settle();
    }

    /** The bytes the connection wrote since the last call (empty when none). */
    public ByteBuffer readOutbound() {
        ByteBuffer out = ByteBuffer.allocate(outbound.remaining()).put(outbound).flip();
        outbound.clear().flip();
        return out;
    }

    /** Bytes written and not yet read with {@link #readOutbound()} or the peer. */
    public int outboundBytes() {
        return outbound.remaining();
    }

    /** Whether the connection ended its output (TCP FIN) after what it wrote. */
    public boolean isOutputShut() {
        return sink.shut;
    }

    /** Whether the connection closed its transport. */
    public boolean isClosed() {
        return !sink.open;
    }

    /** Whether the connection is over: transport closed, {@code onClose} called. */
    public boolean isFinished() {
        return finished;
    }

    /** From now on the peer takes no bytes: writes stay queued, hand-off writes wait as tasks. */
    public void stallOutput() {
        budget = 0;
    }

    /**
     * The peer takes {@code bytes} more bytes, then stalls: the connection's next non-blocking writes
     * (after it reads) write that much, cutting a frame where the count ends; hand-off writes wait.
     */
    public void allowOutput(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes " + bytes + " < 0");
        }
        budget = bytes;
    }

    /** The peer takes every byte again: runs the waiting writes. */
    public void resumeOutput() {
        budget = Long.MAX_VALUE;
        runPendingTasks();
    }

    private boolean stalled() {
        return budget != Long.MAX_VALUE;
    }

    /** Writes handed off by the connection and not yet run (while output is stalled). */
    public int pendingTasks() {
        return tasks.size();
    }

    /** Runs the waiting hand-off writes (the peer takes what they write, stalled or not). */
    public int runPendingTasks() {
        int ran = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            ran++;
        }
        settle();
        return ran;
    }

    /**
     * A raw peer on the far side (the client of a server connection, and the reverse), reading what
     * this connection writes and writing into it, thread-free: its waits return at once with what is
     * there.
     */
    public RawPeer peer() {
        if (peer == null) {
            Side role = driver.side() == Side.SERVER ? Side.CLIENT : Side.SERVER;
            peer = new RawPeer(new PeerEndpoint(), role, "embedded:1", RawPeer.DEFAULT_SEED);
        }
        return peer;
    }

    /** Aborts the connection if it is not over, and ends it. */
    @Override
    public void close() {
        if (!finished) {
            driver.abort();
            settle();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedConnection[" + driver + ", " + clock + (stalled() ? ", stalled" : "")
                + (sink.shut ? ", output shut" : "") + (finished ? ", finished" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------

    private void execute(Runnable task) {
        if (stalled()) {
            tasks.add(task);
        } else {
            task.run();
        }
    }

    /**
     * What a socket transport's loop does next: when the transport was closed, the read fails; when
     * the input ended, or failed, the connection finishes once its output is over.
     */
    private void settle() {
        if (finished || settling) {
            return;
        }
        settling = true;
        try {
            if (!sink.open && !inputEnded) {
                inputEnded = true;
                driver.readFailed(new IOException("the connection was closed"));
            }
            if (inputEnded && (sink.shut || !sink.open)) {
                finished = true;
                driver.finish();
            }
        } finally {
            settling = false;
        }
    }

    private void append(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (outbound.capacity() - outbound.limit() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(outbound.capacity() * 2, outbound.remaining() + n));
            bigger.put(outbound).flip();
            outbound = bigger;
        }
        int position = outbound.position();
        outbound.position(outbound.limit()).limit(outbound.capacity());
        outbound.put(bytes);
        outbound.limit(outbound.position()).position(position);
    }

    /** The transport's half the driver writes to. */
    private final class EmbeddedSink implements Sink {
        volatile boolean open = true;
        volatile boolean shut;

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
            requireOpen();
            for (int i = offset; i < offset + length; i++) {
                append(buffers[i]);
            }
        }

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
            requireOpen();
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                ByteBuffer buffer = buffers[i];
                int n = (int) Math.min(buffer.remaining(), budget);
                append(buffer.slice(buffer.position(), n));
                buffer.position(buffer.position() + n);
                total += n;
                if (budget != Long.MAX_VALUE) {
                    budget -= n;
                }
            }
            return total;
        }

        private void requireOpen() throws IOException {
            if (!open) {
                throw new IOException("the connection is closed");
            }
            if (shut) {
                throw new IOException("the output is shut");
            }
        }

        @Override
        public void shutdownOutput() throws IOException {
            requireOpen();
            shut = true;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public SocketAddress remoteAddress() {
            return REMOTE;
        }

        @Override
        public SocketAddress localAddress() {
            return LOCAL;
        }

        @Override
        public String describe() {
            return "embedded";
        }
    }

    /** The far side's end, for {@link RawPeer}: never waits. */
    private final class PeerEndpoint implements Endpoint {
        @Override
        public int read(ByteBuffer dst, long timeoutNanos) {
            settle();
            if (outbound.hasRemaining()) {
                int n = Math.min(dst.remaining(), outbound.remaining());
                ByteBuffer slice = outbound.slice(outbound.position(), n);
                dst.put(slice);
                outbound.position(outbound.position() + n);
                return n;
            }
            if (sink.shut || !sink.open) {
                return -1;
            }
            Thread.onSpinWait();
            return 0;
        }

        @Override
        public void write(ByteBuffer src) {
            writeInbound(src);
        }

        @Override
        public int available() {
            return outbound.remaining();
        }

        @Override
        public void shutdownOutput() {
            writeInboundEof();
        }

        @Override
        public void close() {
            writeInboundEof();
        }

        @Override
        public void reset() {
            EmbeddedConnection.this.reset();
        }

        @Override
        public String describe() {
            return EmbeddedConnection.this.toString();
        }
    }
}
