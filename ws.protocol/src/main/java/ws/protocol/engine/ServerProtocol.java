package ws.protocol.engine;

import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * The server's engine: reads the opening request, lets the driver decide, writes the response, then
 * runs the framing with unmasked output and masked input.
 */
public abstract sealed class ServerProtocol extends Protocol permits ServerProtocolImpl {

    ServerProtocol(Connection connection) {
        super(connection);
    }

    /** A server engine with this configuration. */
    public static ServerProtocol create(ProtocolConfig config) {
        return new ServerProtocolImpl(config);
    }

    /**
     * A server engine for a connection whose request head the transport already read and parsed (its
     * HTTP phase, which routes plain requests and upgrades): the engine takes it as if it had parsed
     * those bytes itself (validated, then {@link ProtocolEvent.RequestReceived}, or refused), so the head
     * is parsed once. What followed the head is given to {@link #receiveData} as usual.
     */
    public static ServerProtocol create(ProtocolConfig config, HandshakeRequest request) {
        return new ServerProtocolImpl(config, request);
    }

    /**
     * Accepts the request of the last {@link ProtocolEvent.RequestReceived}: negotiates the
     * extensions from the configuration, queues the 101 response and opens the connection.
     *
     * @param subprotocol the subprotocol to agree, one the client offered, or empty for none
     * @param headers     extra response headers (cookies, say)
     * @throws IllegalStateException    when no request is waiting for a decision
     * @throws IllegalArgumentException when the subprotocol was not offered
     */
    public abstract void accept(String subprotocol, HttpHeaders headers);

    /**
     * Rejects the waiting request with this response (403, 401, ...), queued with
     * {@code Connection: close}; the connection then ends.
     */
    public abstract void reject(HandshakeResponse response);

    /** Answers a plain HTTP request ({@link ProtocolEvent.HttpRequestReceived}); the connection then ends. */
    public abstract void respond(HandshakeResponse response);
}
