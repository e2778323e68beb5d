package ws.protocol.engine;

import java.net.URI;
import java.util.List;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;

/**
 * The client's engine: writes the opening request, validates the response, then runs the framing
 * with masked output (keys from the configured random source) and unmasked input.
 */
public abstract sealed class ClientProtocol extends Protocol permits ClientProtocolImpl {

    ClientProtocol(Connection connection) {
        super(connection);
    }

    /**
     * A client engine for {@code uri} ({@code ws://} or {@code wss://}); the request (with a fresh
     * {@code Sec-WebSocket-Key}, the subprotocols, the extension offers of the configuration and the
     * extra headers) is queued at once in {@link #dataToSend()}.
     *
     * @param headers extra request headers (Origin, Authorization, Cookie, ...); headers the protocol
     *                owns (Upgrade, Connection, Sec-WebSocket-*) may not be among them
     */
    public static ClientProtocol create(ProtocolConfig config, URI uri, List<String> subprotocols, HttpHeaders headers) {
        return new ClientProtocolImpl(config, uri, subprotocols, headers);
    }

    /** The request that was sent. */
    public abstract HandshakeRequest request();
}
