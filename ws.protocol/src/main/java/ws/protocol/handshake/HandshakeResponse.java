package ws.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP response: the 101 that accepts a connection, a rejection, or the answer to a plain HTTP
 * request.
 *
 * @param status  the status code
 * @param reason  the reason phrase
 * @param headers the header fields (a {@code Content-Length} is added on the wire for a body)
 * @param body    the body bytes, empty for none; not copied, so do not change it after
 */
public record HandshakeResponse(int status, String reason, HttpHeaders headers, byte[] body) {

    /** Checks the status (three digits) and that no part is null. */
    public HandshakeResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status " + status + " is not three digits");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** A response with a plain-text body (a rejection's explanation, say). */
    public static HandshakeResponse text(int status, String reason, HttpHeaders headers, String body) {
        HttpHeaders withType = headers.contains("Content-Type")
                ? headers
                : headers.toBuilder().add("Content-Type", "text/plain; charset=utf-8").build();
        return new HandshakeResponse(status, reason, withType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with a status, its standard reason phrase, the given body as plain text, and no other headers. */
    public static HandshakeResponse text(int status, String body) {
        return text(status, reasonPhrase(status), HttpHeaders.empty(), body);
    }

    /** Equal when status, reason, headers and body bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof HandshakeResponse that && status == that.status && reason.equals(that.reason)
                && headers.equals(that.headers) && java.util.Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "HandshakeResponse[" + status + " " + reason + ", headers=" + headers + ", body=" + body.length + " bytes]";
    }

    /** The standard reason phrase for a status (RFC 9110), or "Unknown". */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Unknown";
        };
    }
}
