package ws.events.internal.engine;

import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * The errors an Engine.IO server answers a bad request with: HTTP 400 (403 for {@link #FORBIDDEN})
 * and the body {@code {"code":n,"message":"..."}}, the codes and messages of the protocol.
 */
public enum EngineError {
    UNKNOWN_TRANSPORT(0, "Transport unknown", 400),
    UNKNOWN_SID(1, "Session ID unknown", 400),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
    BAD_REQUEST(3, "Bad request", 400),
    FORBIDDEN(4, "Forbidden", 403),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400);

    private final int code;
    private final String message;
    private final int status;

    EngineError(int code, String message, int status) {
        this.code = code;
        this.message = message;
        this.status = status;
    }

    /** The protocol's error code. */
    public int code() {
        return code;
    }

    /** The protocol's message. */
    public String message() {
        return message;
    }

    /** The HTTP status it is answered with. */
    public int status() {
        return status;
    }

    /** The JSON body. */
    public String json() {
        return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    /** The whole response, with extra headers (CORS). */
    public HandshakeResponse response(HttpHeaders extraHeaders) {
        HttpHeaders headers = extraHeaders.toBuilder().set("Content-Type", "application/json").build();
        return new HandshakeResponse(status, HandshakeResponse.reasonPhrase(status), headers,
                json().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
