package ws.transport.blocking.layer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One step of a client's connect path over TCP: an HTTP CONNECT tunnel through a proxy
 * ({@link HttpConnectTunnel}), TLS (ws.transport.tls), or anything else that turns a connected
 * socket into one that reaches further. A socket transport composes, per connection: TCP, then the
 * layers it was given ({@link LayeredTransport#withClientLayers}) in order, then, for a
 * {@code wss://} URI, its TLS layer, so that a proxy is one more layer rather than another connect path.
 *
 * <p>Each layer is told the endpoint it must reach ({@code target}); the layer below it is told the
 * endpoint {@link #route} names. For {@code [tunnel through P, TLS]} to origin {@code O}: TCP connects
 * to {@code P}, the tunnel asks {@code P} for {@code O}, and TLS checks {@code O}'s certificate with
 * {@code O} as the SNI name.
 *
 * <p>Layers run on the connection's own thread, within the handshake timeout (the transport closes
 * the TCP socket when it passes, which fails a layer still reading). Implementations are immutable
 * and shared by every connection.
 */
public interface ClientLayer {

    /**
     * What the layer below must reach so that this layer can reach {@code target}: a proxy's
     * address for a tunnel; {@code target} itself (the default) for a layer that only wraps.
     */
    default InetSocketAddress route(InetSocketAddress target) {
        return target;
    }

    /**
     * Makes {@code socket} (connected to what {@link #route} named, through the layers below) reach
     * {@code target}: returns it, or a socket wrapping it (TLS).
     *
     * @param target unresolved host name (as the URI or the layer above names it) and port
     * @throws IOException when it cannot (the proxy refused, the TLS handshake failed)
     */
    Socket open(Socket socket, InetSocketAddress target) throws IOException;
}
