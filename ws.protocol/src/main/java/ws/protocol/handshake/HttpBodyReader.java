package ws.protocol.handshake;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one HTTP/1.1 request body fed in pieces, framed as RFC 9112 section 6 says, within a byte
 * limit. Consumes exactly the body's bytes: a pipelined next request stays in the caller's buffer.
 * Not thread-safe; one reader per request.
 *
 * <ul>
 *   <li>{@code Transfer-Encoding: chunked} (section 7.1): chunk sizes in hex, chunk extensions and
 *       trailer fields read and ignored. A {@code Transfer-Encoding} other than exactly
 *       {@code chunked} gives 501; one together with {@code Content-Length} (a request smuggling
 *       pattern, section 6.3), or in an HTTP/1.0 request, gives 400.</li>
 *   <li>{@code Content-Length} (section 6.2): digits only; several fields or values must agree (else
 *       400).</li>
 *   <li>Neither: no body.</li>
 *   <li>Limit: more than {@code maxBodyBytes} of body gives 413, as soon as it is known (at once for a
 *       {@code Content-Length}); a chunk-size or trailer line longer than the limits below gives 400.</li>
 * </ul>
 * After a failure the connection cannot be kept: the caller answers the error and closes.
 */
public final class HttpBodyReader {
    /** The longest chunk-size line (size and extensions) accepted. */
    static final int MAX_CHUNK_LINE = 4096;
    /** The body buffer's first size; it doubles as bytes arrive. */
    private static final int INITIAL_BUFFER = 8192;
    /** The most bytes of trailer fields accepted. */
    static final int MAX_TRAILER_BYTES = 8192;

    private enum Phase { LENGTH, CHUNK_LINE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, DONE }

    private final int maxBodyBytes;
    private Phase phase;
    private byte[] body;
    private int size;
    /** Bytes left of the current chunk, or of the whole body for a Content-Length. */
    private long remaining;
    private final StringBuilder line = new StringBuilder();
    private boolean sawCr;
    private int trailerBytes;

    private HttpBodyReader(int maxBodyBytes, Phase phase, long length) {
        this.maxBodyBytes = maxBodyBytes;
        this.phase = phase;
        this.remaining = length;
        // grown as bytes arrive: a client that announces a large body and sends nothing holds little
        this.body = new byte[(int) Math.min(phase == Phase.LENGTH ? length : maxBodyBytes, INITIAL_BUFFER)];
        if (phase == Phase.LENGTH && length == 0) {
            this.phase = Phase.DONE;
        }
    }

    /**
     * A reader for the body of {@code request}.
     *
     * @throws HandshakeException 400 for conflicting or malformed framing, 413 for a
     *                            {@code Content-Length} above {@code maxBodyBytes}, 501 for a transfer
     *                            coding other than chunked
     */
    public static HttpBodyReader forRequest(HandshakeRequest request, int maxBodyBytes) throws HandshakeException {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes " + maxBodyBytes + " < 0");
        }
        HttpHeaders headers = request.headers();
        List<String> codings = headers.tokens("Transfer-Encoding");
        boolean hasLength = headers.contains("Content-Length");
        if (headers.contains("Transfer-Encoding")) {
            if (hasLength) {
                throw new HandshakeException(400, "both Transfer-Encoding and Content-Length (RFC 9112 section 6.3)");
            }
            if (request.version().equals("HTTP/1.0")) {
                throw new HandshakeException(400, "Transfer-Encoding in an " + request.version() + " request");
            }
            if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                throw new HandshakeException(501, "transfer coding " + codings + " is not supported: only chunked");
            }
            return new HttpBodyReader(maxBodyBytes, Phase.CHUNK_LINE, 0);
        }
        if (!hasLength) {
            return new HttpBodyReader(maxBodyBytes, Phase.LENGTH, 0);
        }
        long length = -1;
        for (String field : headers.all("Content-Length")) {
            for (String value : field.split(",", -1)) {
                long parsed = parseLength(value.strip());
                if (length >= 0 && parsed != length) {
                    throw new HandshakeException(400, "Content-Length values disagree: " + headers.all("Content-Length"));
                }
                length = parsed;
            }
        }
        if (length > maxBodyBytes) {
            throw new HandshakeException(413, "a body of " + length + " bytes is over the limit of " + maxBodyBytes);
        }
        return new HttpBodyReader(maxBodyBytes, Phase.LENGTH, length);
    }

    private static long parseLength(String value) throws HandshakeException {
        if (value.isEmpty() || value.length() > 18) {
            throw new HandshakeException(400, "Content-Length \"" + ServerHandshake.shorten(value) + "\" is not a length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new HandshakeException(400, "Content-Length \"" + ServerHandshake.shorten(value) + "\" is not a length");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /** Whether the whole body has been read. */
    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /**
     * Consumes bytes of the body from {@code in}, up to its end.
     *
     * @return the body once complete (then again on every call), else {@code null} (all of {@code in} consumed)
     * @throws HandshakeException 400 for a malformed chunked body, 413 when the body grows over the limit
     */
    public byte[] read(ByteBuffer in) throws HandshakeException {
        while (phase != Phase.DONE && in.hasRemaining()) {
            switch (phase) {
                case LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.remaining());
                    ensure(size + n);
                    in.get(body, size, n);
                    size += n;
                    remaining -= n;
                    if (remaining == 0) {
                        phase = phase == Phase.LENGTH ? Phase.DONE : Phase.CHUNK_DATA_END;
                    }
                }
                case CHUNK_LINE -> {
                    String sizeLine = line(in, MAX_CHUNK_LINE, "chunk-size line");
                    if (sizeLine != null) {
                        chunkSize(sizeLine);
                    } else {
                        checkSize(line);
                    }
                }
                case CHUNK_DATA_END -> {
                    String empty = line(in, 0, "chunk end");
                    if (empty != null) {
                        phase = Phase.CHUNK_LINE;
                    }
                }
                case TRAILER -> {
                    int before = in.position();
                    String field = line(in, MAX_TRAILER_BYTES, "trailer field");
                    trailerBytes += in.position() - before;
                    if (trailerBytes > MAX_TRAILER_BYTES) {
                        throw new HandshakeException(400, "trailer fields over " + MAX_TRAILER_BYTES + " bytes");
                    }
                    if (field != null && field.isEmpty()) {
                        phase = Phase.DONE;
                    }
                }
                case DONE -> throw new AssertionError();
            }
        }
        if (phase != Phase.DONE) {
            return null;
        }
        if (body.length != size) {
            body = Arrays.copyOf(body, size);
        }
        return body;
    }

    /**
     * Refuses a chunk-size line, whole or the part of it received so far, at its first byte that cannot
     * be part of one (up to a {@code ';'}: 1 to 8 hex digits, then whitespace), as the head parser does:
     * a peer that sends no chunked body at all gets its 400 at once, not after the request timeout while
     * it waits for a CRLF that may never come.
     */
    private static void checkSize(CharSequence line) throws HandshakeException {
        int digits = 0;
        boolean afterDigits = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ';') {
                return; // extensions: checked no further (their length is bounded by MAX_CHUNK_LINE)
            }
            boolean hex = Character.digit(c, 16) >= 0;
            boolean space = c == ' ' || c == '\t';
            if (hex && !afterDigits) {
                if (++digits > 8) {
                    throw new HandshakeException(400, "chunk size \"" + ServerHandshake.shorten(line.toString()) + "\" is not a size");
                }
            } else if (space && digits > 0) {
                afterDigits = true;
            } else {
                throw new HandshakeException(400, "chunk size \"" + ServerHandshake.shorten(line.toString()) + "\" is not hexadecimal");
            }
        }
    }

    private void chunkSize(String sizeLine) throws HandshakeException {
        checkSize(sizeLine); // the same rule whether the line came whole or in pieces
        // checked: at most 8 hex digits lead the line, then only whitespace up to any extensions
        long chunk = 0;
        int digits = 0;
        for (; digits < sizeLine.length(); digits++) {
            int digit = Character.digit(sizeLine.charAt(digits), 16);
            if (digit < 0) {
                break;
            }
            chunk = chunk * 16 + digit;
        }
        if (digits == 0) {
            throw new HandshakeException(400, "chunk size \"\" is not a size");
        }
        if (chunk == 0) {
            phase = Phase.TRAILER;
            return;
        }
        if (size + chunk > maxBodyBytes) {
            throw new HandshakeException(413, "a chunked body over the limit of " + maxBodyBytes + " bytes");
        }
        remaining = chunk;
        phase = Phase.CHUNK_DATA;
    }

    /** Consumes a CRLF-ended line of at most {@code max} bytes; returns it once complete, else null. */
    private String line(ByteBuffer in, int max, String what) throws HandshakeException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (sawCr) {
                if (b != '\n') {
                    throw new HandshakeException(400, "a CR not followed by LF in the " + what);
                }
                sawCr = false;
                String done = line.toString();
                line.setLength(0);
                return done;
            }
            if (b == '\r') {
                sawCr = true;
            } else if (b == '\n') {
                throw new HandshakeException(400, "a bare LF in the " + what);
            } else {
                if (line.length() >= max) {
                    throw new HandshakeException(400, what + " over " + max + " bytes");
                }
                line.append((char) (b & 0xFF));
            }
        }
        return null;
    }

    private void ensure(int capacity) {
        if (capacity > body.length) {
            long limit = phase == Phase.LENGTH ? size + remaining : maxBodyBytes;
            body = Arrays.copyOf(body, (int) Math.min(limit, Math.max(capacity, 2L * body.length)));
        }
    }
}
