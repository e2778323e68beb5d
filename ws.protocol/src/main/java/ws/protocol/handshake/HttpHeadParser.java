package ws.protocol.handshake;

import java.nio.ByteBuffer;

/**
 * Parses one HTTP/1.1 head (start line and header fields, up to the empty line) fed in pieces, within
 * a byte limit. Consumes exactly the head's bytes: whatever follows (frames sent right after a 101,
 * say) stays in the caller's buffer. Not thread-safe; one parser per head.
 */
public final class HttpHeadParser {
    // CONTRACT STUB: the handshake helper implements; signatures fixed.

    private HttpHeadParser(boolean requests, int maxHeadBytes) {
    }

    /** A parser for a request head; more than {@code maxHeadBytes} gives 431. */
    public static HttpHeadParser requests(int maxHeadBytes) {
        return new HttpHeadParser(true, maxHeadBytes);
    }

    /** A parser for a response head; more than {@code maxHeadBytes} is an error (status 0). */
    public static HttpHeadParser responses(int maxHeadBytes) {
        return new HttpHeadParser(false, maxHeadBytes);
    }

    /**
     * Consumes bytes of a request head from {@code in}.
     *
     * @return the request once the head is complete, else {@code null} (all of {@code in} consumed)
     * @throws HandshakeException 400 for malformed HTTP, 431 when over the limit, 505 for a version
     *                            other than HTTP/1.x
     */
    public HandshakeRequest parseRequest(ByteBuffer in) throws HandshakeException {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }

    /**
     * Consumes bytes of a response head from {@code in}. The body, if any, is not read (empty).
     *
     * @return the response once the head is complete, else {@code null}
     * @throws HandshakeException (status 0) for malformed HTTP or a head over the limit
     */
    public HandshakeResponse parseResponse(ByteBuffer in) throws HandshakeException {
        throw new UnsupportedOperationException("CONTRACT STUB");
    }
}
