package ws.transport.blocking.internal;

import java.util.Objects;
import ws.transport.blocking.layer.AcceptLayer;
import ws.transport.blocking.layer.ClientLayer;

/**
 * What a socket transport runs over TCP for its URI scheme: nothing ({@link #PLAIN}, {@code ws}), or
 * TLS ({@code wss}, made by ws.transport.tls): a layer for accepted sockets and the last client layer
 * of a {@code wss://} connection.
 *
 * @param scheme      the URI scheme the transport's clients connect to: {@code "ws"}, {@code "wss"}
 * @param defaultPort the port when a URI names none: 80, 443
 * @param accept      wraps accepted sockets, or null (none, or a client-only transport)
 * @param client      the last client layer for this scheme, or null (none)
 */
public record SocketLayer(String scheme, int defaultPort, AcceptLayer accept, ClientLayer client) {

    /** No layer: the loop reads and writes the socket channel itself (gathering writes). */
    public static final SocketLayer PLAIN = new SocketLayer("ws", 80, null, null);

    public SocketLayer {
        Objects.requireNonNull(scheme, "scheme");
    }

    /** TLS: {@code wss}, port 443, with these layers. */
    public static SocketLayer tls(AcceptLayer accept, ClientLayer client) {
        return new SocketLayer("wss", 443, accept, client);
    }
}
