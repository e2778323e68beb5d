package ws.protocol.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Parses one HTTP/1.1 head (start line and header fields, up to the empty line) fed in pieces, within
 * a byte limit. Consumes exactly the head's bytes: whatever follows (frames sent right after a 101,
 * say) stays in the caller's buffer. Not thread-safe; one parser per head.
 *
 * <p>The syntax is RFC 9112, applied strictly, and every byte is checked as it arrives, so that a
 * peer that does not speak HTTP at all (a TLS ClientHello, binary garbage) is refused at its first
 * wrong byte instead of after the byte limit:
 * <ul>
 *   <li>Lines end with CRLF. A bare LF is refused (400): RFC 9112 section 2.2 lets a recipient accept
 *       it, but every WebSocket peer sends CRLF, and a parser that reads line ends differently from a
 *       proxy in front of it invites request smuggling. A CR not followed by LF is refused.</li>
 *   <li>Request line: {@code method SP request-target SP HTTP-version}, single spaces, the method a
 *       token, the target visible ASCII. Empty lines before it are skipped (RFC 9112 section 2.2).</li>
 *   <li>Version: {@code HTTP/} DIGIT {@code .} DIGIT, case-sensitive. Any HTTP/1.x is parsed (HTTP/1.0
 *       is reported as such and refused later by {@link ServerHandshake#validate}); another major
 *       version gives 505; anything else 400.</li>
 *   <li>Status line: {@code HTTP-version SP 3DIGIT [SP reason-phrase]}, status 100 to 599. Interim 1xx
 *       responses other than 101 (100 Continue, 103 Early Hints) are skipped, as RFC 9110 section 15.2
 *       asks of a client; their bytes count towards the limit.</li>
 *   <li>Fields: {@code name ":" OWS value OWS}. The name is a token; whitespace before the colon
 *       (RFC 9112 section 5.1) and obs-fold, a line starting with whitespace (section 5.2), are refused;
 *       values may hold HTAB, SP, visible ASCII and obs-text but no other control byte, and are
 *       trimmed of OWS. Bytes are read as ISO-8859-1.</li>
 *   <li>Limit: the head may have at most {@code maxHeadBytes} bytes, CRLFs included. The byte after the
 *       limit is refused before it is buffered: 431, or 414 while still in the request target (RFC 9112
 *       section 3 asks for 414 when the target is too long); status 0 for a response.</li>
 * </ul>
 * After a failure the parser stays failed: every later call throws the same status.
 */
public final class HttpHeadParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';
    private static final String HTTP_SLASH = "HTTP/";

    private enum Phase { START_LINE, FIELDS, DONE, FAILED }

    private final boolean requests;
    private final int maxHeadBytes;

    private Phase phase = Phase.START_LINE;
    /** Bytes of the head seen so far (all heads, for responses with interim 1xx heads). */
    private int count;
    /** The current line, without its CRLF. */
    private byte[] line = new byte[128];
    private int lineLength;
    /** Whether the previous byte was a CR. */
    private boolean sawCr;
    /** Which part of the line we are in: start line 0, 1, 2; field line 0 name, 1 value. */
    private int part;
    /** Line offsets where parts 1 and 2 (or the field value) start. */
    private int partStart1;
    private int partStart2;

    private String startPart0;
    private String startPart1;
    private String startPart2;
    private HttpHeaders.Builder fields = HttpHeaders.builder();
    private HandshakeException failure;

    private HttpHeadParser(boolean requests, int maxHeadBytes) {
        if (maxHeadBytes < 16) {
            throw new IllegalArgumentException("maxHeadBytes " + maxHeadBytes + " < 16");
        }
        this.requests = requests;
        this.maxHeadBytes = maxHeadBytes;
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
     * @throws HandshakeException 400 for malformed HTTP, 431 when over the limit (414 when the limit is
     *                            reached in the request target), 505 for a version other than HTTP/1.x
     * @throws IllegalStateException if this is a response parser, or the head was already returned
     */
    public HandshakeRequest parseRequest(ByteBuffer in) throws HandshakeException {
        if (!requests) {
            throw new IllegalStateException("this parser reads responses, not requests");
        }
        if (!consume(in)) {
            return null;
        }
        return new HandshakeRequest(startPart0, startPart1, startPart2, fields.build());
    }

    /**
     * Consumes bytes of a response head from {@code in}. The body, if any, is not read (empty).
     *
     * @return the response once the head is complete, else {@code null}
     * @throws HandshakeException (status 0) for malformed HTTP or a head over the limit
     * @throws IllegalStateException if this is a request parser, or the head was already returned
     */
    public HandshakeResponse parseResponse(ByteBuffer in) throws HandshakeException {
        if (requests) {
            throw new IllegalStateException("this parser reads requests, not responses");
        }
        while (consume(in)) {
            int status = Integer.parseInt(startPart1);
            if (status == 101 && startPart0.equals("HTTP/1.0")) {
                throw fail(0, "a 101 response in HTTP/1.0: switching protocols needs HTTP/1.1 (RFC 9110 section 15.2)");
            }
            if (status >= 200 || status == 101) {
                return new HandshakeResponse(status, startPart2, fields.build(), new byte[0]);
            }
            // An interim response (100 Continue, 103 Early Hints): skip it, the final one follows.
            phase = Phase.START_LINE;
            fields = HttpHeaders.builder();
        }
        return null;
    }

    /** Whether the head is complete; {@code false} when {@code in} ran out first. */
    private boolean consume(ByteBuffer in) throws HandshakeException {
        if (phase == Phase.FAILED) {
            throw new HandshakeException(failure.status(), failure.getMessage(), failure);
        }
        if (phase == Phase.DONE) {
            throw new IllegalStateException("the head was already parsed; use one parser per head");
        }
        int position = in.position();
        int limit = in.limit();
        try {
            while (position < limit) {
                byte b = in.get(position++);
                if (accept(b)) {
                    phase = Phase.DONE;
                    return true;
                }
            }
            return false;
        } finally {
            in.position(position);
        }
    }

    /** Takes one byte; whether it ended the head. */
    private boolean accept(byte b) throws HandshakeException {
        if (++count > maxHeadBytes) {
            if (requests) {
                boolean inTarget = phase == Phase.START_LINE && part == 1;
                throw fail(inTarget ? 414 : 431, (inTarget ? "request target" : "request head")
                        + " too large: more than " + maxHeadBytes + " bytes (RFC 6585 section 5)");
            }
            throw fail(0, "response head too large: more than " + maxHeadBytes + " bytes");
        }
        if (sawCr) {
            if (b != LF) {
                throw fail(400, "CR not followed by LF (RFC 9112 section 2.2), got 0x" + hex(b));
            }
            sawCr = false;
            return endLine();
        }
        if (b == CR) {
            sawCr = true;
            return false;
        }
        if (b == LF) {
            throw fail(400, "bare LF: lines must end with CRLF (RFC 9112 section 2.2)");
        }
        if (phase == Phase.START_LINE) {
            if (requests) {
                requestLineByte(b);
            } else {
                statusLineByte(b);
            }
        } else {
            fieldLineByte(b);
        }
        append(b);
        return false;
    }

    private void requestLineByte(byte b) throws HandshakeException {
        switch (part) {
            case 0 -> {
                if (b == SP) {
                    if (lineLength == 0) {
                        throw fail(400, "request line starts with whitespace");
                    }
                    part = 1;
                    partStart1 = lineLength + 1;
                } else if (!HttpHeaders.isTokenChar((char) (b & 0xFF))) {
                    throw fail(400, "request method has a byte not allowed in a token (RFC 9110 section 9.1): 0x" + hex(b));
                }
            }
            case 1 -> {
                if (b == SP) {
                    if (lineLength == partStart1) {
                        throw fail(400, "request line has an empty target (two spaces after the method)");
                    }
                    part = 2;
                    partStart2 = lineLength + 1;
                } else if (b < 0x21 || b > 0x7E) {
                    throw fail(400, "request target has a byte that is not visible ASCII (RFC 9112 section 3.2): 0x" + hex(b));
                }
            }
            default -> {
                if (b == SP) {
                    throw fail(400, "request line has more than 3 parts (RFC 9112 section 3)");
                }
                versionByte(b, lineLength - partStart2);
            }
        }
    }

    private void statusLineByte(byte b) throws HandshakeException {
        switch (part) {
            case 0 -> {
                if (b == SP) {
                    if (lineLength != 8) {
                        throw fail(0, "status line: malformed HTTP version \"" + latin1(0, lineLength) + "\"");
                    }
                    checkVersion(latin1(0, lineLength));
                    part = 1;
                    partStart1 = lineLength + 1;
                } else {
                    versionByte(b, lineLength);
                }
            }
            case 1 -> {
                if (b == SP) {
                    if (lineLength - partStart1 != 3) {
                        throw fail(0, "status line: status code must have 3 digits, got \"" + latin1(partStart1, lineLength) + "\"");
                    }
                    part = 2;
                    partStart2 = lineLength + 1;
                } else if (b < '0' || b > '9' || lineLength - partStart1 >= 3) {
                    throw fail(0, "status line: status code must be 3 digits, got byte 0x" + hex(b));
                }
            }
            default -> {
                if (b != HTAB && (b & 0xFF) < 0x20 || b == 0x7F) {
                    throw fail(0, "status line: reason phrase has control byte 0x" + hex(b));
                }
            }
        }
    }

    /** Checks byte {@code index} of an HTTP version as it arrives: "HTTP/" DIGIT "." DIGIT. */
    private void versionByte(byte b, int index) throws HandshakeException {
        boolean ok;
        if (index < 5) {
            ok = b == HTTP_SLASH.charAt(index);
        } else if (index == 5 || index == 7) {
            ok = b >= '0' && b <= '9';
        } else {
            ok = index == 6 && b == '.';
        }
        if (!ok) {
            throw fail(400, "malformed HTTP version (expected HTTP/DIGIT.DIGIT, RFC 9112 section 2.3): byte 0x"
                    + hex(b) + " at index " + index);
        }
    }

    /** Checks a complete version: HTTP/1.x only. */
    private void checkVersion(String version) throws HandshakeException {
        if (version.length() == 8 && version.charAt(5) == '1') {
            return;
        }
        if (version.length() >= 6 && version.charAt(5) != '1') {
            throw fail(505, "HTTP version not supported: " + version + " (only HTTP/1.x)");
        }
        throw fail(400, "malformed HTTP version \"" + version + "\" (expected HTTP/DIGIT.DIGIT, RFC 9112 section 2.3)");
    }

    private void fieldLineByte(byte b) throws HandshakeException {
        if (part == 0) {
            if (b == ':') {
                if (lineLength == 0) {
                    throw fail(400, "header field with an empty name");
                }
                part = 1;
                partStart1 = lineLength + 1;
            } else if (b == SP || b == HTAB) {
                if (lineLength == 0) {
                    throw fail(400, "header line starts with whitespace: obs-fold is not accepted (RFC 9112 section 5.2)");
                }
                throw fail(400, "whitespace between header name \"" + shorten(latin1(0, lineLength))
                        + "\" and colon (RFC 9112 section 5.1)");
            } else if (!HttpHeaders.isTokenChar((char) (b & 0xFF))) {
                throw fail(400, "header name has a byte not allowed in a token (RFC 9110 section 5.1): 0x" + hex(b));
            }
        } else if (b != HTAB && (b & 0xFF) < 0x20 || b == 0x7F) {
            throw fail(400, "header " + shorten(latin1(0, partStart1 - 1)) + " value has control byte 0x" + hex(b)
                    + " (RFC 9110 section 5.5)");
        }
    }

    /** A CRLF arrived: the current line is complete. Whether it was the empty line ending the head. */
    private boolean endLine() throws HandshakeException {
        try {
            if (phase == Phase.START_LINE) {
                if (lineLength == 0 && requests) {
                    return false; // RFC 9112 section 2.2: empty lines before the request line are ignored
                }
                if (requests) {
                    endRequestLine();
                } else {
                    endStatusLine();
                }
                phase = Phase.FIELDS;
                return false;
            }
            if (lineLength == 0) {
                return true;
            }
            if (part == 0) {
                throw fail(400, "header line without a colon: \"" + shorten(latin1(0, lineLength)) + "\"");
            }
            int start = partStart1;
            int end = lineLength;
            while (start < end && (line[start] == SP || line[start] == HTAB)) {
                start++;
            }
            while (end > start && (line[end - 1] == SP || line[end - 1] == HTAB)) {
                end--;
            }
            // fieldLineByte checked each byte as Builder.add would: the name a token, no control byte in the value
            fields.addChecked(latin1(0, partStart1 - 1), latin1(start, end));
            return false;
        } finally {
            lineLength = 0;
            part = 0;
        }
    }

    private void endRequestLine() throws HandshakeException {
        if (lineLength == 0) {
            throw fail(400, "empty request line");
        }
        if (part < 2) {
            throw fail(400, "request line has fewer than 3 parts (RFC 9112 section 3): \"" + shorten(latin1(0, lineLength)) + "\"");
        }
        startPart0 = latin1(0, partStart1 - 1);
        startPart1 = latin1(partStart1, partStart2 - 1);
        startPart2 = latin1(partStart2, lineLength);
        checkVersion(startPart2);
    }

    private void endStatusLine() throws HandshakeException {
        if (part == 0) {
            throw fail(0, "status line has no status code: \"" + shorten(latin1(0, lineLength)) + "\"");
        }
        int statusEnd = part == 1 ? lineLength : partStart2 - 1;
        if (statusEnd - partStart1 != 3) {
            throw fail(0, "status line: status code must have 3 digits, got \"" + latin1(partStart1, statusEnd) + "\"");
        }
        startPart0 = latin1(0, partStart1 - 1);
        startPart1 = latin1(partStart1, statusEnd);
        startPart2 = part == 1 ? "" : latin1(partStart2, lineLength);
        int status = Integer.parseInt(startPart1);
        if (status < 100 || status > 599) {
            throw fail(0, "status code " + status + " is outside 100-599 (RFC 9110 section 15)");
        }
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, 16), maxHeadBytes));
        }
        line[lineLength++] = b;
    }

    /**
     * The part {@code [from, to)} of the line as a string: one of {@link #COMMON} when it is exactly
     * that (no new string for the parts nearly every handshake has), else a new one.
     */
    private String latin1(int from, int to) {
        int length = to - from;
        if (length < COMMON_BY_LENGTH.length) {
            byte[][] candidates = COMMON_BYTES_BY_LENGTH[length];
            for (int i = 0; i < candidates.length; i++) {
                if (Arrays.equals(line, from, to, candidates[i], 0, length)) {
                    return COMMON_BY_LENGTH[length][i];
                }
            }
        }
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /**
     * Methods, versions, header names as clients and servers write them, and values that opening
     * handshakes nearly always have: the parser returns these very strings (compared byte for byte).
     */
    private static final List<String> COMMON = List.of("GET", "HTTP/1.1", "HTTP/1.0", "/", "Host", "Upgrade",
            "websocket", "Connection", "keep-alive, Upgrade", "keep-alive", "close", "Sec-WebSocket-Key",
            "Sec-WebSocket-Version", "13", "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits",
            "permessage-deflate", "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept", "Origin", "User-Agent",
            "Accept", "*/*", "Accept-Encoding", "gzip, deflate, br, zstd", "gzip, deflate, br", "gzip, deflate",
            "Accept-Language", "Cache-Control", "no-cache", "Pragma", "Cookie", "Authorization", "Content-Length",
            "Content-Type", "0", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "X-Forwarded-For",
            "X-Forwarded-Proto", "X-Real-IP", "101", "Switching Protocols", "host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
            "sec-websocket-accept", "origin", "user-agent");
    private static final String[][] COMMON_BY_LENGTH = new String[64][];
    private static final byte[][][] COMMON_BYTES_BY_LENGTH = new byte[64][][];

    static {
        for (int length = 0; length < COMMON_BY_LENGTH.length; length++) {
            int n = length;
            String[] strings = COMMON.stream().filter(c -> c.length() == n).toArray(String[]::new);
            COMMON_BY_LENGTH[length] = strings;
            COMMON_BYTES_BY_LENGTH[length] = new byte[strings.length][];
            for (int i = 0; i < strings.length; i++) {
                COMMON_BYTES_BY_LENGTH[length][i] = strings[i].getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Records and returns a failure; a response parser always reports status 0 (nothing to answer). */
    private HandshakeException fail(int status, String message) {
        phase = Phase.FAILED;
        failure = new HandshakeException(requests ? status : 0, message);
        return failure;
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static String hex(byte b) {
        return String.format("%02x", b & 0xFF);
    }
}
