package ws.transport.blocking.internal;

import java.net.SocketAddress;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;

/** What a connection needs from the server or client that owns it. */
interface ConnectionHost {

    /** The shared timers. */
    Timers timers();

    /** The transport's settings. */
    TransportSettings settings();

    /** The options every connection of this owner runs with. */
    ConnectionOptions connectionOptions();

    /** The opening handshake succeeded: the connection joins the registry of open connections. */
    void opened(SocketConnection connection);

    /** The connection is over and its socket closed: it leaves every registry. */
    void ended(SocketConnection connection);

    /**
     * Server only: what to do with a valid upgrade request (route, interceptor).
     */
    default Decision decide(HandshakeRequest request, SocketAddress remoteAddress) {
        throw new IllegalStateException("only a server decides upgrade requests");
    }

    /** Server only: the answer to a plain HTTP request. */
    default HandshakeResponse answer(HandshakeRequest request) {
        throw new IllegalStateException("only a server answers HTTP requests");
    }

    /** A server's decision on an upgrade request. */
    sealed interface Decision {
    }

    /**
     * Accept on a route.
     *
     * @param listener    the route's listener
     * @param subprotocol the subprotocol to agree, or empty
     * @param headers     extra response headers
     * @param attributes  attached to the connection
     */
    record Accept(ws.protocol.api.WebSocketListener listener, String subprotocol,
                  ws.protocol.handshake.HttpHeaders headers, java.util.Map<String, Object> attributes)
            implements Decision {
    }

    /** Reject with this response. */
    record Reject(HandshakeResponse response) implements Decision {
    }
}
