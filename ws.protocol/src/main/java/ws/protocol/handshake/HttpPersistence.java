package ws.protocol.handshake;

import java.util.Arrays;

/**
 * Persistent connections for plain HTTP exchanges (RFC 9112 section 9.3): whether a connection serves
 * another request after this one, and the response bytes that say so.
 */
public final class HttpPersistence {

    private HttpPersistence() {
    }

    /**
     * Whether the connection persists after {@code request} and {@code response}: HTTP/1.1 unless either
     * says {@code Connection: close}; HTTP/1.0 only when the request says {@code Connection: keep-alive}
     * (and the response does not say close).
     */
    public static boolean persists(HandshakeRequest request, HandshakeResponse response) {
        if (response.headers().containsToken("Connection", "close")
                || request.headers().containsToken("Connection", "close")) {
            return false;
        }
        // the parser admits HTTP/1.x only; minor versions above 0 are read as HTTP/1.1
        return !request.version().equals("HTTP/1.0") || request.headers().containsToken("Connection", "keep-alive");
    }

    /**
     * The bytes of {@code response} to {@code request}: {@code Connection: close} when the connection
     * ends after it, {@code Connection: keep-alive} when an HTTP/1.0 connection persists, and only the
     * head (with the body's {@code Content-Length}) for a {@code HEAD} request. The body is framed by
     * its {@code Content-Length}; a {@code Transfer-Encoding} in the response is dropped.
     *
     * @throws IllegalArgumentException for an interim (1xx) status, or what {@link ServerHandshake#encode}
     *                                  refuses
     */
    public static byte[] encode(HandshakeRequest request, HandshakeResponse response, boolean persists) {
        if (response.status() < 200) {
            throw new IllegalArgumentException("a plain HTTP exchange cannot answer " + response.status()
                    + ": interim and switching responses are the server's own");
        }
        // framed by Content-Length, always: a Transfer-Encoding of the handler's would contradict it
        HttpHeaders.Builder headers = response.headers().toBuilder().remove("Transfer-Encoding");
        if (!persists) {
            headers.set("Connection", "close");
        } else if (request.version().equals("HTTP/1.0")) {
            headers.set("Connection", "keep-alive");
        }
        byte[] bytes = ServerHandshake.encode(new HandshakeResponse(response.status(), response.reason(),
                headers.build(), response.body()));
        if (request.method().equals("HEAD") && response.body().length > 0) {
            return Arrays.copyOf(bytes, bytes.length - response.body().length);
        }
        return bytes;
    }
}
