package ws.transport.eventloop.layer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * A layer between an event-loop connection's socket and its HTTP and WebSocket bytes: TLS, which
 * {@code ws.transport.tls} makes (an {@code SSLEngine} per connection). The transport takes one with
 * {@link ws.transport.eventloop.EventLoopTransport#withTls}; applications choose TLS with
 * {@code TlsTransport.server(config).over(new EventLoopTransport())}, not with this interface.
 */
@FunctionalInterface
public interface ChannelLayer {

    /**
     * The layer of one connection, on its loop thread, right after the TCP connection exists.
     *
     * @param channel the connected, non-blocking channel (the layer reads and writes it; the loop
     *                selects it and closes it)
     * @param target  the origin a client connects to (SNI, the host name check), or {@code null} on a
     *                server
     * @param buffers the loop's scratch buffers for network bytes, for calls on the loop thread
     * @param wakeup  what the layer runs, from any thread, when it can go on after it waited for
     *                nothing the selector sees (a delegated task done): the loop then reads again
     * @throws IOException when the layer cannot be set up (the connection is then closed)
     */
    LayerChannel open(SocketChannel channel, InetSocketAddress target, NetBuffers buffers, Runnable wakeup)
            throws IOException;
}
