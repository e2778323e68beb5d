package ws.protocol.handshake;

import java.util.List;
import ws.protocol.extension.ExtensionParameters;

/** The server's half of the opening handshake (RFC 6455 section 4.2). Stateless. */
public final class ServerHandshake {
    // CONTRACT STUB: the handshake helper implements; signatures fixed.

    private ServerHandshake() {
    }

    /**
     * Whether the request asks for a WebSocket at all: its {@code Upgrade} header lists the token
     * {@code websocket}. Requests that do not are plain HTTP, for the HTTP handler.
     */
    public static boolean isUpgradeRequest(HandshakeRequest request) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /**
     * Checks an upgrade request against RFC 6455 section 4.2.1: method GET, HTTP/1.1 or later, a Host,
     * {@code Upgrade: websocket} and {@code Connection: Upgrade} as case-insensitive token lists, a
     * {@code Sec-WebSocket-Key} that is base64 of 16 bytes, {@code Sec-WebSocket-Version: 13}, a
     * well-formed {@code Sec-WebSocket-Extensions} if present.
     *
     * @throws HandshakeException with the status to answer (400 with the rule broken; 405 for a method
     *                            other than GET; 426 for a version other than 13)
     */
    public static void validate(HandshakeRequest request) throws HandshakeException {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /** The error response for a failed validation: its status, a text body, {@code Connection: close}, and for 426 {@code Sec-WebSocket-Version: 13}. */
    public static HandshakeResponse errorResponse(HandshakeException error) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /** {@code Sec-WebSocket-Accept} for a key: base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)). */
    public static String acceptKey(String key) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /**
     * The first of the client's {@code offered} subprotocols (in the client's order) that the server
     * {@code supported}, or empty when none.
     */
    public static String chooseSubprotocol(List<String> offered, List<String> supported) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /**
     * The 101 response accepting a validated request.
     *
     * @param subprotocol the agreed subprotocol, or empty for none (then no header)
     * @param extensions  the agreed extensions in order, or empty (then no header)
     * @param extra       more headers to send
     */
    public static HandshakeResponse accept(HandshakeRequest request, String subprotocol,
                                           List<ExtensionParameters> extensions, HttpHeaders extra) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /** The bytes of a response: status line, headers (with Content-Length when there is a body), empty line, body. */
    public static byte[] encode(HandshakeResponse response) {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }
}
