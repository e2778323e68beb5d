package ws.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import ws.protocol.extension.ExtensionParameters;

/**
 * The server's half of the opening handshake (RFC 6455 section 4.2). Stateless.
 *
 * <p>Choices where the RFCs leave room, made deliberately:
 * <ul>
 *   <li>An HTTP/1.0 request that asks for an upgrade gets 400 (naming the rule), not 505: 505 is for
 *       a major version the server does not support (RFC 9110 section 15.6.6), and HTTP/1.0 shares
 *       the major version; RFC 6455 section 4.2.1 asks for "HTTP/1.1 or higher".</li>
 *   <li>A missing {@code Sec-WebSocket-Version} gets 426 like a wrong one: the client most likely
 *       speaks a pre-RFC draft, and 426 tells it which version we speak (section 4.2.2).</li>
 *   <li>An upgrade request with a body ({@code Transfer-Encoding}, or a {@code Content-Length} other
 *       than 0) is refused with 400: whatever follows the head is read as frames, so a body would be
 *       misread (and is a request-smuggling vector behind a proxy).</li>
 *   <li>The key must be the canonical base64 of 16 bytes: 22 characters of the alphabet, the last
 *       one with its 4 unused bits zero, then {@code ==} (RFC 4648 section 3.5).</li>
 * </ul>
 */
public final class ServerHandshake {
    /** The GUID of RFC 6455 section 1.3, appended to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final byte[] NO_BODY = new byte[0];

    private static final String BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private ServerHandshake() {
    }

    /**
     * Whether the request asks for a WebSocket at all: its {@code Upgrade} header lists the token
     * {@code websocket}. Requests that do not are plain HTTP, for the HTTP handler.
     */
    public static boolean isUpgradeRequest(HandshakeRequest request) {
        return request.headers().containsToken("Upgrade", "websocket");
    }

    /**
     * Checks an upgrade request against RFC 6455 section 4.2.1: method GET, HTTP/1.1 or later, a Host,
     * {@code Upgrade: websocket} and {@code Connection: Upgrade} as case-insensitive token lists, a
     * {@code Sec-WebSocket-Key} that is base64 of 16 bytes, {@code Sec-WebSocket-Version: 13}, a
     * well-formed {@code Sec-WebSocket-Extensions} if present. The items are checked in the RFC's
     * order, so the status and message name the first rule broken.
     *
     * @throws HandshakeException with the status to answer (400 with the rule broken; 405 for a method
     *                            other than GET; 426 for a version other than 13)
     */
    public static void validate(HandshakeRequest request) throws HandshakeException {
        HttpHeaders headers = request.headers();
        // 4.2.1 item 1: an HTTP/1.1 or higher GET request, with a resource name.
        if (!request.method().equals("GET")) {
            throw new HandshakeException(405, "RFC 6455 section 4.2.1 item 1: the opening handshake must be a GET request, got "
                    + request.method());
        }
        if (!isHttp11OrLater(request.version())) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 1: the opening handshake needs HTTP/1.1 or later, got "
                    + request.version());
        }
        checkTarget(request.target());
        // 4.2.1 item 2: a Host header field (RFC 9112 section 3.2: exactly one, valid).
        String host = headers.only("Host");
        if (host == null) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 2: exactly one Host header is required, got "
                    + headers.count("Host"));
        }
        checkHost(host);
        // 4.2.1 item 3: Upgrade lists websocket.
        if (!headers.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 3: the Upgrade header must list \"websocket\", got "
                    + describe(headers.all("Upgrade")));
        }
        // 4.2.1 item 4: Connection lists Upgrade.
        if (!headers.containsToken("Connection", "Upgrade")) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 4: the Connection header must list \"Upgrade\", got "
                    + describe(headers.all("Connection")));
        }
        // 4.2.1 item 5: Sec-WebSocket-Key, base64 of 16 bytes.
        String key = headers.only("Sec-WebSocket-Key");
        if (key == null) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 5: exactly one Sec-WebSocket-Key header is required, got "
                    + headers.count("Sec-WebSocket-Key"));
        }
        if (!isValidKey(key)) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 5: Sec-WebSocket-Key must be base64 of 16 bytes, got \""
                    + shorten(key) + "\"");
        }
        // 4.2.1 item 6: Sec-WebSocket-Version 13 (else 426 with the version we speak, section 4.2.2).
        String version = headers.only("Sec-WebSocket-Version");
        if (version == null && headers.count("Sec-WebSocket-Version") > 1) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 6: at most one Sec-WebSocket-Version header is allowed, got "
                    + headers.count("Sec-WebSocket-Version"));
        }
        if (version == null || !version.equals("13")) {
            throw new HandshakeException(426, "RFC 6455 section 4.2.1 item 6: Sec-WebSocket-Version must be 13, got "
                    + (version == null ? "none" : "\"" + shorten(version) + "\""));
        }
        // 4.2.1 item 8: Sec-WebSocket-Protocol, a list of tokens.
        for (String value : headers.contains("Sec-WebSocket-Protocol") ? headers.all("Sec-WebSocket-Protocol") : List.<String>of()) {
            for (String element : value.split(",", -1)) {
                String token = element.strip();
                if (!token.isEmpty() && !isToken(token)) {
                    throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 8: Sec-WebSocket-Protocol must be a list of tokens, got \""
                            + shorten(value) + "\"");
                }
            }
        }
        // 4.2.1 item 9: Sec-WebSocket-Extensions, the grammar of section 9.1.
        try {
            if (headers.contains("Sec-WebSocket-Extensions")) {
                ExtensionParameters.parseAll(headers.all("Sec-WebSocket-Extensions"));
            }
        } catch (IllegalArgumentException malformed) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 9: malformed Sec-WebSocket-Extensions: "
                    + malformed.getMessage(), malformed);
        }
        // No body: what follows the head is frames.
        if (headers.contains("Transfer-Encoding")) {
            throw new HandshakeException(400, "an upgrade request must not have a body, got Transfer-Encoding "
                    + describe(headers.all("Transfer-Encoding")));
        }
        for (String length : headers.contains("Content-Length") ? headers.all("Content-Length") : List.<String>of()) {
            if (!length.equals("0")) {
                throw new HandshakeException(400, "an upgrade request must not have a body, got Content-Length \""
                        + shorten(length) + "\"");
            }
        }
    }

    /**
     * The error response for a failed validation: its status, the exception's message as a text body,
     * {@code Connection: close}, and for 426 {@code Upgrade: websocket} and
     * {@code Sec-WebSocket-Version: 13} (with {@code Connection: Upgrade, close}), for 405
     * {@code Allow: GET}. A status that is not an error (a client-side 0, say) is answered as 400.
     */
    public static HandshakeResponse errorResponse(HandshakeException error) {
        int status = error.status() >= 400 && error.status() <= 599 ? error.status() : 400;
        HttpHeaders.Builder headers = HttpHeaders.builder();
        if (status == 426) {
            // RFC 9110 section 15.5.22: a 426 names the protocol in Upgrade; section 7.8: who sends Upgrade
            // lists it in Connection.
            headers.add("Connection", "Upgrade, close").add("Upgrade", "websocket").add("Sec-WebSocket-Version", "13");
        } else {
            headers.add("Connection", "close");
        }
        if (status == 405) {
            headers.add("Allow", "GET");
        }
        String message = error.getMessage() == null ? HandshakeResponse.reasonPhrase(status) : error.getMessage();
        return HandshakeResponse.text(status, HandshakeResponse.reasonPhrase(status), headers.build(), message + "\n");
    }

    /** {@code Sec-WebSocket-Accept} for a key: base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)). */
    public static String acceptKey(String key) {
        // key and GUID in one array, in ISO-8859-1 as getBytes would encode them ('?' for a char above 0xFF)
        byte[] input = new byte[key.length() + GUID_BYTES.length];
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            input[i] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        System.arraycopy(GUID_BYTES, 0, input, key.length(), GUID_BYTES.length);
        return Base64.getEncoder().encodeToString(sha1().digest(input));
    }

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);

    /**
     * A SHA-1 digest of its own: a clone of one made once. {@code MessageDigest.getInstance} looks the
     * algorithm up among the providers on every call, which a handshake should not pay for.
     */
    private static MessageDigest sha1() {
        try {
            return (MessageDigest) SHA1.clone();
        } catch (CloneNotSupportedException notCloneable) {
            return newSha1(); // a provider whose digest cannot be cloned
        }
    }

    private static final MessageDigest SHA1 = newSha1();

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", impossible);
        }
    }

    /**
     * The first of the client's {@code offered} subprotocols (in the client's order) that the server
     * {@code supported}, or empty when none. Names compare exactly (case-sensitively), as browsers do.
     */
    public static String chooseSubprotocol(List<String> offered, List<String> supported) {
        for (String candidate : offered) {
            if (supported.contains(candidate)) {
                return candidate;
            }
        }
        return "";
    }

    /**
     * The 101 response accepting a validated request: {@code Upgrade: websocket},
     * {@code Connection: Upgrade}, {@code Sec-WebSocket-Accept}, then {@code Sec-WebSocket-Protocol}
     * and {@code Sec-WebSocket-Extensions} when not empty, then the extra headers.
     *
     * @param subprotocol the agreed subprotocol, or empty for none (then no header)
     * @param extensions  the agreed extensions in order, or empty (then no header)
     * @param extra       more headers to send
     * @throws IllegalArgumentException if the request has no single key, the subprotocol is not one the
     *                                  client offered, or an extra header is one the handshake owns
     *                                  (Upgrade, Connection, Sec-WebSocket-*, Content-Length,
     *                                  Transfer-Encoding)
     */
    public static HandshakeResponse accept(HandshakeRequest request, String subprotocol,
                                           List<ExtensionParameters> extensions, HttpHeaders extra) {
        String key = request.headers().only("Sec-WebSocket-Key");
        if (key == null) {
            throw new IllegalArgumentException("cannot accept a request with " + request.headers().count("Sec-WebSocket-Key")
                    + " Sec-WebSocket-Key headers; validate it first");
        }
        if (!subprotocol.isEmpty() && !request.subprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("subprotocol \"" + subprotocol + "\" was not offered by the client (offered "
                    + request.subprotocols() + "); RFC 6455 section 4.2.2 allows only one of those");
        }
        checkNotReserved(extra);
        // the names are ours, the accept value base64, the subprotocol one the client offered (a token,
        // as validate checked), the extra fields already checked by the builder that made them
        HttpHeaders.Builder headers = HttpHeaders.builder()
                .addChecked("Upgrade", "websocket")
                .addChecked("Connection", "Upgrade")
                .addChecked("Sec-WebSocket-Accept", acceptKey(key));
        if (!subprotocol.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", subprotocol);
        }
        if (!extensions.isEmpty()) {
            headers.add("Sec-WebSocket-Extensions", ExtensionParameters.formatAll(extensions));
        }
        extra.forEach(headers::addChecked);
        return new HandshakeResponse(101, HandshakeResponse.reasonPhrase(101), headers.build(), NO_BODY);
    }

    /**
     * The bytes of a response: status line, headers (with Content-Length when there is a body), empty
     * line, body. A {@code Content-Length} in the headers is replaced by the body's; none is sent for
     * 1xx, 204 and 304, and {@code Content-Length: 0} is sent for other responses without a body so
     * that the client does not wait for the connection to close.
     *
     * @throws IllegalArgumentException if the reason phrase has a control character, or a 1xx, 204 or
     *                                  304 response has a body
     */
    public static byte[] encode(HandshakeResponse response) {
        String reason = response.reason();
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c != '\t' && c < 0x20 || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("reason phrase has a forbidden character (0x" + Integer.toHexString(c)
                        + ") at index " + i);
            }
        }
        int status = response.status();
        boolean bodiless = status < 200 || status == 204 || status == 304;
        if (bodiless && response.body().length > 0) {
            throw new IllegalArgumentException("a " + status + " response cannot have a body (RFC 9110 section 6.4.1), got "
                    + response.body().length + " bytes");
        }
        byte[] body = response.body();
        String length = bodiless ? null : Integer.toString(body.length);
        // the exact size first, then the bytes: every part is ISO-8859-1 (names are tokens, values and the
        // reason octets, as the builder and the check above make sure)
        int size = "HTTP/1.1 000 ".length() + reason.length() + 2;
        for (String[] field : response.headers().fields()) {
            if (!field[0].equalsIgnoreCase("Content-Length")) {
                size += field[0].length() + 2 + field[1].length() + 2;
            }
        }
        if (length != null) {
            size += "Content-Length: ".length() + length.length() + 2;
        }
        size += 2 + body.length;
        byte[] out = new byte[size];
        int at = put(out, 0, "HTTP/1.1 ");
        out[at++] = (byte) ('0' + status / 100);
        out[at++] = (byte) ('0' + status / 10 % 10);
        out[at++] = (byte) ('0' + status % 10);
        out[at++] = ' ';
        at = crlf(out, put(out, at, reason));
        for (String[] field : response.headers().fields()) {
            if (!field[0].equalsIgnoreCase("Content-Length")) {
                at = put(out, at, field[0]);
                out[at++] = ':';
                out[at++] = ' ';
                at = crlf(out, put(out, at, field[1]));
            }
        }
        if (length != null) {
            at = crlf(out, put(out, put(out, at, "Content-Length: "), length));
        }
        at = crlf(out, at);
        System.arraycopy(body, 0, out, at, body.length);
        return out;
    }

    /** Writes {@code s} (ISO-8859-1) into {@code out} at {@code at}; returns the index after it. */
    private static int put(byte[] out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    private static int crlf(byte[] out, int at) {
        out[at] = '\r';
        out[at + 1] = '\n';
        return at + 2;
    }

    // ---- helpers shared with ClientHandshake ----

    /** Whether {@code key} is the canonical base64 of exactly 16 bytes. */
    static boolean isValidKey(String key) {
        if (key.length() != 24 || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            if (BASE64_ALPHABET.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        // The 22nd character carries 2 bits of the last byte and 4 padding bits, which must be zero.
        return (BASE64_ALPHABET.indexOf(key.charAt(21)) & 0x0F) == 0;
    }

    /** Whether {@code s} is a non-empty token (RFC 9110 section 5.6.2). */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!HttpHeaders.isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Refuses headers that the handshake itself writes. */
    static void checkNotReserved(HttpHeaders extra) {
        extra.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("upgrade") || lower.equals("connection") || lower.startsWith("sec-websocket-")
                    || lower.equals("content-length") || lower.equals("transfer-encoding")) {
                throw new IllegalArgumentException("header " + name + " is set by the handshake itself and cannot be added");
            }
        });
    }

    private static boolean isHttp11OrLater(String version) {
        // The parser admits only HTTP/1.x; 1.1 and later minor versions are compatible (RFC 9110 section 2.5).
        return version.length() == 8 && version.startsWith("HTTP/1.") && version.charAt(7) >= '1' && version.charAt(7) <= '9';
    }

    /** The request target: origin-form, or absolute-form with an http(s)/ws(s) scheme (section 4.2.1 item 1). */
    private static void checkTarget(String target) throws HandshakeException {
        if (target.startsWith("/")) {
            return;
        }
        String lower = target.toLowerCase(Locale.ROOT);
        for (String scheme : new String[] {"http://", "https://", "ws://", "wss://"}) {
            if (lower.startsWith(scheme) && lower.length() > scheme.length()) {
                return;
            }
        }
        throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 1: the request target must be a resource name or an"
                + " absolute http(s) URI, got \"" + shorten(target) + "\"");
    }

    /** Host = uri-host [ ":" port ] (RFC 9110 section 7.2). */
    private static void checkHost(String host) throws HandshakeException {
        String problem = hostProblem(host);
        if (problem != null) {
            throw new HandshakeException(400, "RFC 6455 section 4.2.1 item 2: invalid Host \"" + shorten(host) + "\": " + problem);
        }
    }

    private static String hostProblem(String host) {
        if (host.isEmpty()) {
            return "empty";
        }
        int portStart;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0) {
                return "IPv6 literal without ']'";
            }
            for (int i = 1; i < close; i++) {
                char c = host.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == 'v' || c == 'V')) {
                    return "character '" + c + "' in IP literal";
                }
            }
            portStart = close + 1;
            if (portStart < host.length() && host.charAt(portStart) != ':') {
                return "expected ':' after the IP literal";
            }
        } else {
            int colon = host.indexOf(':');
            portStart = colon < 0 ? host.length() : colon;
            if (portStart == 0) {
                return "no host name";
            }
            for (int i = 0; i < portStart; i++) {
                char c = host.charAt(i);
                boolean regName = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
                if (!regName) {
                    return "character '" + c + "' not allowed in a host name";
                }
            }
        }
        if (portStart < host.length()) {
            String port = host.substring(portStart + 1);
            if (port.length() > 5) {
                return "port too long";
            }
            for (int i = 0; i < port.length(); i++) {
                if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                    return "port is not a number";
                }
            }
        }
        return null;
    }

    private static String describe(List<String> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<String> quoted = new ArrayList<>(values.size());
        for (String value : values) {
            quoted.add("\"" + shorten(value) + "\"");
        }
        return String.join(", ", quoted);
    }

    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** Whether the list has a duplicate. */
    static boolean hasDuplicate(List<String> values) {
        Set<String> seen = new HashSet<>();
        for (String value : values) {
            if (!seen.add(value)) {
                return true;
            }
        }
        return false;
    }
}
