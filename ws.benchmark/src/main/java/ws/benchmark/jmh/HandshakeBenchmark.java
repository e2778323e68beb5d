package ws.benchmark.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocketServer;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.driver.OpenConnections;
import ws.protocol.driver.Scheduler;
import ws.protocol.driver.ServerCounters;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.server.ServerCore;
import ws.protocol.server.UpgradeDecision;
import ws.transport.stream.JfrObserver;
import ws.transport.stream.Timers;

/**
 * One server connection's whole life with no socket: the upgrade request of the load generator in,
 * the 101 out, then the client's end of input and the connection's end. Ours parses the request head
 * once, as a transport's HTTP phase does, and runs the real {@link ConnectionDriver} and engine on it
 * as every transport does, with what a server adds to each connection (the server core's routing and
 * interceptor, the JFR observer and the metrics counters, the registry of open connections, the
 * keepalive timer on the system timers); Netty
 * runs the pipeline of its benchmark peer ({@code HttpServerCodec}, {@code HttpObjectAggregator},
 * {@code WebSocketServerProtocolHandler}, {@code WebSocketFrameAggregator}, the echo handler) in an
 * {@code EmbeddedChannel}, closed at the end. Run with JMH's {@code -prof gc}:
 * {@code gc.alloc.rate.norm} is the bytes allocated per handshake. What the transport adds (the
 * accept, the socket, a thread or a loop registration, the rest of its HTTP phase) is not in either.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {
    /** What {@code ./bench/load} sends. */
    static final byte[] REQUEST = ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    private Host host;
    private DiscardingSink sink;
    private ByteBuffer request;
    private ByteBuf nettyRequest;
    private WebSocketServerProtocolConfig nettyConfig;

    @Setup
    public void setUp() {
        host = new Host();
        sink = new DiscardingSink();
        request = ByteBuffer.wrap(REQUEST);
        nettyRequest = Unpooled.unreleasableBuffer(Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST));
        nettyConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(16 << 20).build())
                .build();
    }

    @TearDown
    public void tearDown() {
        host.timers.close();
    }

    /**
     * Ours: a server connection through its opening handshake as the transports run it (the HTTP phase
     * parses the request head once and hands it to the driver), then the client's FIN and the end.
     */
    @Benchmark
    public long ours() throws HandshakeException {
        HandshakeRequest head = HttpHeadParser.requests(8192).parseRequest(request.clear());
        ConnectionDriver driver = ConnectionDriver.server(host, head, REQUEST.length);
        driver.start(sink, null);
        if (!driver.isOpen()) {
            throw new IllegalStateException("the connection did not open");
        }
        driver.receiveEof();
        driver.finish();
        return sink.written;
    }

    /** Netty: its benchmark peer's pipeline through the same request, then closed. */
    @Benchmark
    public long netty() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new HttpServerCodec(),
                new HttpObjectAggregator(8192),
                new WebSocketServerProtocolHandler(nettyConfig),
                new WebSocketFrameAggregator(16 << 20),
                ws.benchmark.peers.NettyPeer.echo());
        channel.writeInbound(nettyRequest.readerIndex(0));
        long n = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            n += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        if (n == 0) {
            throw new IllegalStateException("Netty did not answer");
        }
        channel.close();
        return n;
    }

    /** What a stream server is to its connections, without the threads: see the class comment. */
    private static final class Host implements ConnectionHost {
        final Timers timers = Timers.system("bench");
        private final ServerOptions options = WebSocketServer.builder().route("/*", new EchoBenchmark.Echo())
                .connection(ConnectionOptions.defaults()).build();
        private final ws.protocol.engine.ProtocolConfig config = options.connection().protocolConfig();
        private final ServerCore core = new ServerCore(options);
        private final ConnectionObserver observer;
        private final OpenConnections open = new OpenConnections(ws.protocol.driver.DriverLogger.NONE);

        Host() {
            ServerCounters counters = new ServerCounters();
            observer = ConnectionObserver.both(JfrObserver.create(), counters); // as a stream server does
        }

        @Override
        public Scheduler scheduler() {
            return timers;
        }

        @Override
        public ConnectionOptions connectionOptions() {
            return options.connection();
        }

        @Override
        public ws.protocol.engine.ProtocolConfig protocolConfig() {
            return config; // as a stream server does: made once, shared by its connections
        }

        @Override
        public ConnectionObserver observer() {
            return observer;
        }

        @Override
        public Executor writers() {
            return Runnable::run;
        }

        @Override
        public void opened(ConnectionDriver connection) {
            open.add(connection);
        }

        @Override
        public void ended(ConnectionDriver connection) {
            open.remove(connection);
        }

        @Override
        public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
            return core.decide(request, remoteAddress);
        }
    }
}
