package ws.protocol.api;

import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;

/**
 * Answers plain HTTP requests (no {@code Upgrade: websocket}) that arrive on the server's port: a
 * health check, a page with the browser client. The connection is closed after the response.
 * Without one, the server answers 426 on a WebSocket route and 404 elsewhere.
 */
@FunctionalInterface
public interface HttpHandler {
    HandshakeResponse handle(HandshakeRequest request);
}
