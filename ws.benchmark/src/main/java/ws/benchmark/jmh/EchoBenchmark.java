package ws.benchmark.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ws.protocol.Opcode;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.Scheduler;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/**
 * One server connection echoing 64-byte texts, with no socket: what a read of 16 masked client frames
 * costs from the bytes in to the echoed frames written, ours (the real {@link ConnectionDriver} and
 * engine, as every transport runs them, with the listener of {@code ./ws echo}) next to Netty's
 * pipeline of its benchmark peer ({@code WebSocket13FrameDecoder}, {@code WebSocketFrameAggregator},
 * an echo handler writing the frame back, {@code WebSocket13FrameEncoder}, one flush per read) in an
 * {@code EmbeddedChannel}. Run with JMH's {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes
 * allocated per echoed message (one operation is one message).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EchoBenchmark {
    /** Messages per read, as with 16 in flight per connection. */
    static final int BATCH = 16;

    private ByteBuffer frames;
    private ConnectionDriver driver;
    private final DiscardingSink sink = new DiscardingSink();
    private EmbeddedChannel netty;
    private ByteBuf nettyFrames;

    @Setup
    public void setUp() throws IOException {
        frames = Payloads.maskedFrames(Opcode.TEXT, 64, BATCH, false);
        driver = ConnectionDriver.server(new Host());
        driver.start(sink, null);
        driver.receive(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        if (!driver.isOpen()) {
            throw new IllegalStateException("the embedded connection did not open");
        }
        netty = new EmbeddedChannel(
                new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(16 << 20).build()),
                new WebSocket13FrameEncoder(false),
                new WebSocketFrameAggregator(16 << 20),
                ws.benchmark.peers.NettyPeer.echo());
        byte[] bytes = new byte[frames.remaining()];
        frames.duplicate().get(bytes);
        nettyFrames = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    /** Ours: one read of 16 frames through the driver, echoed by the listener, written inline. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long ours() {
        driver.receive(frames.clear());
        return sink.written;
    }

    /** Netty: the same bytes through the pipeline of its benchmark peer, the echoed frames read out. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long netty() {
        netty.writeInbound(nettyFrames.readerIndex(0));
        netty.flushOutbound();
        long n = 0;
        Object out;
        while ((out = netty.readOutbound()) != null) {
            n += ((ByteBuf) out).readableBytes();
            ReferenceCountUtil.release(out);
        }
        return n;
    }

    /** The listener of {@code ./ws echo}: every text back as text (also {@link HandshakeBenchmark}'s). */
    static final class Echo implements WebSocketListener {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }
    }

    /** Default options, no timers (keepalive off), writes never handed off. */
    private static final class Host implements ConnectionHost {
        private final ConnectionOptions options = ConnectionOptions.defaults()
                .withKeepAlive(java.time.Duration.ZERO, java.time.Duration.ofSeconds(10));
        private final ws.protocol.engine.ProtocolConfig config = options.protocolConfig();

        @Override
        public ws.protocol.engine.ProtocolConfig protocolConfig() {
            return config; // as a server does: one for all its connections
        }

        @Override
        public Scheduler scheduler() {
            return new Scheduler() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }

        @Override
        public ConnectionOptions connectionOptions() {
            return options;
        }

        @Override
        public Executor writers() {
            return Runnable::run;
        }

        @Override
        public void opened(ConnectionDriver connection) {
        }

        @Override
        public void ended(ConnectionDriver connection) {
        }

        @Override
        public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
            return new UpgradeDecision.Accept(new Echo(), "", HttpHeaders.empty(), Map.of());
        }
    }
}
