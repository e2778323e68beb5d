package ws.protocol.api;

import java.net.SocketAddress;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;

/**
 * One HTTP request and its response on a server connection, handed to an {@link HttpHandler}. The
 * whole request body has been read before the handler runs. The response may be sent at once or
 * later from any thread; until it is, the connection serves no other request.
 */
public interface HttpExchange {

    /** The request: method, target (path and query), version and headers. */
    HandshakeRequest request();

    /**
     * The whole request body (by {@code Content-Length} or chunked), empty when there is none. At most
     * {@link ServerOptions#maxHttpBodySize()} bytes: a larger body is answered 413 without calling the
     * handler. The array is the exchange's own; the handler may keep it.
     */
    byte[] body();

    /** The client's address. */
    SocketAddress remoteAddress();

    /**
     * Sends the response, from any thread, at most once. The connection then serves the client's next
     * request (HTTP/1.1 keep-alive) unless the request or the response said {@code Connection: close}
     * (or the request was HTTP/1.0 without {@code keep-alive}). A {@code Content-Length} is set from
     * the body; to a {@code HEAD} request only the head is sent.
     *
     * @return {@code true} if this call sent the response; {@code false} if the exchange was already
     *         answered or abandoned (the client left, the server is stopping)
     * @throws IllegalArgumentException for an interim (1xx) status: switching protocols is the
     *                                  server's job, on an upgrade request
     */
    boolean respond(HandshakeResponse response);

    /** Whether a response can still be sent: not yet answered, client still connected, server running. */
    boolean isOpen();

    /**
     * Runs {@code action} once if the exchange ends without a response: the client disconnected while
     * it was held, or the server is stopping. A held long-poll uses it to forget the exchange. Runs at
     * once, on the calling thread, if the exchange was already abandoned; never runs if it was answered.
     * The action runs on a transport thread and must not block.
     */
    void onAbandon(Runnable action);
}
