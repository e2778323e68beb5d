package ws.transport.tls;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import ws.transport.eventloop.layer.ChannelLayer;
import ws.transport.eventloop.layer.NetBuffers;

/**
 * TLS for the event-loop transport: an {@link EngineChannel} per connection, with the context, the
 * parameters and the naming of failures of the socket transports' layers ({@link ServerLayer},
 * {@link ClientLayer}), so both transports speak TLS by the same configuration, reload their
 * certificates the same way and fail with the same {@link TlsHandshakeException}s.
 */
final class LoopLayers {
    private LoopLayers() {
    }

    /** A server's layer: the current context of {@code layer} (reloaded when its files change) per connection. */
    static ChannelLayer server(ServerLayer layer) {
        return (SocketChannel channel, InetSocketAddress target, NetBuffers buffers, Runnable wakeup) -> {
            SSLEngine engine = layer.newEngine();
            SocketAddress peer = channel.getRemoteAddress();
            return new EngineChannel(engine, channel, buffers, wakeup, (error, late) -> layer.failed(error, peer, late),
                    layer.timeout().toNanos());
        };
    }

    /**
     * A client's layer: an engine made for the origin's host and port, so that the client's session
     * cache offers the server's ticket again (resumption), with SNI and host name verification.
     */
    static ChannelLayer client(ClientLayer layer) {
        return (SocketChannel channel, InetSocketAddress target, NetBuffers buffers, Runnable wakeup) -> {
            String host = target.getHostString();
            layer.warnIfInsecure(host, target.getPort());
            SSLEngine engine = layer.context().createSSLEngine(host, target.getPort());
            engine.setUseClientMode(true);
            engine.setSSLParameters(layer.configure(engine.getSSLParameters(), host));
            SocketAddress peer = channel.getRemoteAddress();
            String peerName = "server " + host + ":" + target.getPort();
            EngineChannel.Failure failure = new EngineChannel.Failure() {
                @Override
                public TlsHandshakeException name(java.io.IOException error, boolean late) {
                    try {
                        return layer.failed(error, engine, peer, peerName, late);
                    } finally {
                        layer.asked(engine);
                    }
                }

                @Override
                public void done() {
                    layer.asked(engine);
                }
            };
            return new EngineChannel(engine, channel, buffers, wakeup, failure, layer.timeout().toNanos());
        };
    }
}
