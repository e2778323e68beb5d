package ws.benchmark.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Netty 4.2 echo and broadcast servers, written as Netty's own examples advise for speed: writes without flush during a read batch and one flush at
 * {@code channelReadComplete}, frames passed through without copying, the pooled allocator; NIO
 * (the native epoll jar, a classifier artifact, is not available from the registry this project
 * builds from); broadcast through a
 * {@link ChannelGroup} (Netty encodes the frame once per channel).
 */
public final class NettyPeer {
    private static final int MAX_MESSAGE = 16 << 20;

    private NettyPeer() {
    }

    static void start(PeerMain.Mode mode, int port) throws InterruptedException {
        start(mode, port, null);
    }

    /**
     * The same with TLS when {@code tls} is not null: an {@code SslHandler} first in the pipeline, the
     * JDK's TLS (TLS 1.3 and 1.2, as ours), with that PEM certificate chain and key.
     */
    static void start(PeerMain.Mode mode, int port, java.io.File[] tls) throws InterruptedException {
        io.netty.handler.ssl.SslContext ssl;
        try {
            ssl = tls == null ? null : io.netty.handler.ssl.SslContextBuilder.forServer(tls[0], tls[1])
                    .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + tls[0] + " and " + tls[1], e);
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ChannelGroup everyone = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true)
                .handleCloseFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_MESSAGE).build())
                .build();
        new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (ssl != null) {
                            channel.pipeline().addLast(ssl.newHandler(channel.alloc()));
                        }
                        channel.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(config),
                                new WebSocketFrameAggregator(MAX_MESSAGE),
                                mode == PeerMain.Mode.ECHO ? new Echo() : new Broadcast(everyone));
                    }
                })
                .bind("127.0.0.1", port).sync();
    }

    /** The echo handler of this peer (also what {@code EchoBenchmark} runs Netty's side with). */
    public static ChannelInboundHandlerAdapter echo() {
        return new Echo();
    }

    /** Writes each data frame back; flushes once per read batch. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ctx.write(msg, ctx.voidPromise());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Sends each data frame to every channel of the group once its handshake is complete. */
    private static final class Broadcast extends ChannelInboundHandlerAdapter {
        private final ChannelGroup everyone;

        Broadcast(ChannelGroup everyone) {
            this.everyone = everyone;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                everyone.add(ctx.channel());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                everyone.writeAndFlush(msg, io.netty.channel.group.ChannelMatchers.all(), true);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
