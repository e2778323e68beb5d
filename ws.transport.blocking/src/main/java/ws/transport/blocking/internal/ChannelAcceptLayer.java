package ws.transport.blocking.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import ws.transport.blocking.layer.AcceptLayer;
import ws.transport.stream.Wire;

/**
 * An {@link AcceptLayer} that also makes the connection's wire from the accepted channel itself, which
 * the server then uses instead of {@link AcceptLayer#wrap}: TLS over the channel (ws.transport.tls), so
 * that the connection's reader writes its own answers when the socket takes them and looks for input
 * without waiting, as over a plain channel, rather than over a wrapped socket's streams.
 */
public interface ChannelAcceptLayer extends AcceptLayer {

    /**
     * The wire of an accepted connection, on its own thread, within the handshake timeout (the server's
     * timer closes {@code accepted} then).
     *
     * @param accepted the accepted channel, in blocking mode, configured (TCP_NODELAY, buffer sizes)
     * @throws IOException when the layer's handshake fails (the server closes the channel)
     */
    Wire open(SocketChannel accepted) throws IOException;
}
