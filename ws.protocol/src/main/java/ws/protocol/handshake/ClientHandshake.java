package ws.protocol.handshake;

import java.net.URI;
import java.util.List;
import java.util.random.RandomGenerator;
import ws.protocol.extension.ExtensionParameters;

/** The client's half of the opening handshake (RFC 6455 section 4.1). Stateless. */
public final class ClientHandshake {
    // CONTRACT STUB: the handshake helper implements; signatures fixed.

    private ClientHandshake() {
    }

    /** A fresh {@code Sec-WebSocket-Key}: base64 of 16 random bytes. */
    public static String newKey(RandomGenerator random) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /**
     * The request for {@code uri}: GET of its path and query (or "/"), Host (with the port when not the
     * scheme's default; IPv6 literals in brackets), Upgrade, Connection, the key, version 13, the
     * subprotocols and extension offers when not empty, then the extra headers.
     *
     * @throws IllegalArgumentException for a scheme other than ws/wss (or http/https), a URI with a
     *                                  fragment or no host, an invalid subprotocol token, or an extra
     *                                  header the protocol owns (Upgrade, Connection, Sec-WebSocket-*)
     */
    public static HandshakeRequest request(URI uri, String key, List<String> subprotocols,
                                           List<ExtensionParameters> extensionOffers, HttpHeaders extra) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /** The bytes of a request: request line, headers, empty line. */
    public static byte[] encode(HandshakeRequest request) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /**
     * Checks a response against RFC 6455 section 4.1 (status 101, {@code Upgrade: websocket},
     * {@code Connection: Upgrade}, the accept key of {@code key}, a subprotocol that was offered or
     * none). Extensions are checked by the engine against its extension factories.
     *
     * @return the agreed subprotocol, or empty
     * @throws HandshakeException carrying the status received, naming the rule broken
     */
    public static String validate(HandshakeResponse response, String key, List<String> offeredSubprotocols)
            throws HandshakeException {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }
}
