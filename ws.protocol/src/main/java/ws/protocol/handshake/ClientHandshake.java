package ws.protocol.handshake;

import java.net.IDN;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import ws.protocol.extension.ExtensionParameters;

/** The client's half of the opening handshake (RFC 6455 section 4.1). Stateless. */
public final class ClientHandshake {

    private ClientHandshake() {
    }

    /** A fresh {@code Sec-WebSocket-Key}: base64 of 16 random bytes (RFC 6455 section 4.1 item 7). */
    public static String newKey(RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * The request for {@code uri}: GET of its path and query (or "/"), Host (with the port when not the
     * scheme's default; IPv6 literals in brackets, without a zone identifier), Upgrade, Connection, the key, version 13, the
     * subprotocols and extension offers when not empty, then the extra headers.
     *
     * <p>ws and http default to port 80, wss and https to 443. The path and query are sent as written
     * in the URI (percent-escapes kept; characters outside ASCII percent-encoded as UTF-8). A
     * {@code Host} among the extra headers replaces the computed one (to reach a virtual host through
     * an address, say); {@code Origin}, {@code Authorization}, cookies and the like are sent as given.
     *
     * @throws IllegalArgumentException for a scheme other than ws/wss (or http/https), a URI with a
     *                                  fragment, user info or no host, a port of 0, a key that is not
     *                                  base64 of 16 bytes, an invalid or repeated subprotocol token, an
     *                                  extension offer that is not tokens, or an extra header the
     *                                  protocol owns (Upgrade, Connection, Sec-WebSocket-*,
     *                                  Content-Length, Transfer-Encoding)
     */
    public static HandshakeRequest request(URI uri, String key, List<String> subprotocols,
                                           List<ExtensionParameters> extensionOffers, HttpHeaders extra) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "ws", "http" -> 80;
            case "wss", "https" -> 443;
            default -> throw new IllegalArgumentException("RFC 6455 section 3: the URI scheme must be ws or wss (or http, https), got "
                    + (scheme.isEmpty() ? "none" : uri.getScheme()) + " in " + uri);
        };
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("RFC 6455 section 3: the URI must be hierarchical (ws://host/path), got " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("RFC 6455 section 3: a WebSocket URI must not have a fragment, got " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("RFC 6455 section 3: a WebSocket URI has no user info (it would not be sent), got "
                    + uri.getScheme() + "://...@" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1));
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null && uri.getRawAuthority() != null) {
            // A registry-based authority (a host name with '_', say): take host[:port] ourselves.
            String authority = uri.getRawAuthority();
            int colon = authority.lastIndexOf(':');
            host = authority;
            if (colon >= 0 && authority.indexOf(']') < colon) {
                host = authority.substring(0, colon);
                String digits = authority.substring(colon + 1);
                if (!digits.isEmpty()) {
                    try {
                        port = Integer.parseInt(digits);
                    } catch (NumberFormatException notAPort) {
                        throw new IllegalArgumentException("invalid port \"" + digits + "\" in " + uri, notAPort);
                    }
                }
            }
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("RFC 6455 section 3: a WebSocket URI must have a host, got " + uri);
        }
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a port a server can listen on, in " + uri);
        }
        if (!host.startsWith("[")) {
            host = asciiHost(host, uri);
        } else if (host.indexOf('%') > 0) {
            // RFC 6874 section 4: a zone identifier is local to this host and is not sent.
            host = host.substring(0, host.indexOf('%')) + "]";
        }
        String hostHeader = port < 0 || port == defaultPort ? host : host + ":" + port;

        
        if (!ServerHandshake.isValidKey(key)) {
            throw new IllegalArgumentException("RFC 6455 section 4.1 item 7: Sec-WebSocket-Key must be base64 of 16 bytes, got \""
                    + ServerHandshake.shorten(key) + "\"");
        }
        for (String subprotocol : subprotocols) {
            if (!ServerHandshake.isToken(subprotocol)) {
                throw new IllegalArgumentException("RFC 6455 section 4.1 item 10: subprotocol \"" + subprotocol
                        + "\" is not a token (non-empty, visible ASCII, no separators)");
            }
        }
        if (ServerHandshake.hasDuplicate(subprotocols)) {
            throw new IllegalArgumentException("RFC 6455 section 4.1 item 10: subprotocols must be unique, got " + subprotocols);
        }
        for (ExtensionParameters offer : extensionOffers) {
            checkOffer(offer);
        }
        ServerHandshake.checkNotReserved(extra);

        HttpHeaders.Builder headers = HttpHeaders.builder()
                .add("Host", extra.first("Host").orElse(hostHeader))
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", key)
                .add("Sec-WebSocket-Version", "13");
        if (!subprotocols.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        if (!extensionOffers.isEmpty()) {
            headers.add("Sec-WebSocket-Extensions", ExtensionParameters.formatAll(extensionOffers));
        }
        extra.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(name, value);
            }
        });
        return new HandshakeRequest("GET", target(uri), "HTTP/1.1", headers.build());
    }

    /** The bytes of a request: request line, headers, empty line. */
    public static byte[] encode(HandshakeRequest request) {
        StringBuilder head = new StringBuilder(256);
        head.append(request.method()).append(' ').append(request.target()).append(' ').append(request.version()).append("\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks a response against RFC 6455 section 4.1 (status 101, {@code Upgrade: websocket},
     * {@code Connection: Upgrade}, the accept key of {@code key}, a subprotocol that was offered or
     * none). Extensions are checked by the engine against its extension factories.
     *
     * @return the agreed subprotocol, or empty
     * @throws HandshakeException carrying the status received when it is not 101; status 0 when a 101
     *                            breaks a rule; the message names the rule broken
     */
    public static String validate(HandshakeResponse response, String key, List<String> offeredSubprotocols)
            throws HandshakeException {
        HttpHeaders headers = response.headers();
        // 4.1 item 1 (of the response checks): a status other than 101 is handled per HTTP, i.e. a failure.
        if (response.status() != 101) {
            throw new HandshakeException(response.status(), "RFC 6455 section 4.1: the server did not switch protocols: expected 101, got "
                    + response.status() + (response.reason().isEmpty() ? "" : " " + ServerHandshake.shorten(response.reason())));
        }
        // Item 2: Upgrade is websocket (case-insensitive).
        if (!headers.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException(0, "RFC 6455 section 4.1: the 101 response's Upgrade header must be \"websocket\", got "
                    + describe(headers.all("Upgrade")));
        }
        // Item 3: Connection lists Upgrade (case-insensitive).
        if (!headers.containsToken("Connection", "Upgrade")) {
            throw new HandshakeException(0, "RFC 6455 section 4.1: the 101 response's Connection header must list \"Upgrade\", got "
                    + describe(headers.all("Connection")));
        }
        // Item 4: Sec-WebSocket-Accept is base64(SHA-1(key + GUID)), compared exactly.
        List<String> accepts = headers.all("Sec-WebSocket-Accept");
        String expected = ServerHandshake.acceptKey(key);
        if (accepts.size() != 1 || !accepts.get(0).equals(expected)) {
            throw new HandshakeException(0, "RFC 6455 section 4.1: Sec-WebSocket-Accept must be \"" + expected + "\" for our key, got "
                    + describe(accepts));
        }
        // Item 6: a subprotocol, if any, is one we offered, and only one.
        List<String> chosen = headers.tokens("Sec-WebSocket-Protocol");
        if (chosen.isEmpty()) {
            return "";
        }
        if (chosen.size() > 1) {
            throw new HandshakeException(0, "RFC 6455 section 4.1: the server must choose at most one subprotocol, got "
                    + describe(headers.all("Sec-WebSocket-Protocol")));
        }
        String subprotocol = chosen.get(0);
        if (!offeredSubprotocols.contains(subprotocol)) {
            throw new HandshakeException(0, "RFC 6455 section 4.1: the server chose subprotocol \"" + ServerHandshake.shorten(subprotocol)
                    + "\", which we did not offer (offered " + offeredSubprotocols + ")");
        }
        return subprotocol;
    }

    private static void checkOffer(ExtensionParameters offer) {
        if (!ServerHandshake.isToken(offer.name())) {
            throw new IllegalArgumentException("RFC 6455 section 9.1: extension name \"" + offer.name() + "\" is not a token");
        }
        for (ExtensionParameters.Parameter parameter : offer.parameters()) {
            if (!ServerHandshake.isToken(parameter.name())) {
                throw new IllegalArgumentException("RFC 6455 section 9.1: parameter name \"" + parameter.name() + "\" of extension "
                        + offer.name() + " is not a token");
            }
            if (parameter.value() != null && !ServerHandshake.isToken(parameter.value())) {
                throw new IllegalArgumentException("RFC 6455 section 9.1: value \"" + parameter.value() + "\" of parameter "
                        + parameter.name() + " of extension " + offer.name() + " is not a token");
            }
        }
    }

    /** The request target: the raw path (or "/") and the raw query, as ASCII. */
    private static String target(URI uri) {
        String path = uri.getRawPath();
        String target = path == null || path.isEmpty() ? "/" : path;
        if (uri.getRawQuery() != null) {
            target = target + "?" + uri.getRawQuery();
        }
        return toAscii(target);
    }

    /** Percent-encodes (as UTF-8) every character that may not appear raw in a request target. */
    private static String toAscii(String s) {
        boolean clean = true;
        for (int i = 0; i < s.length() && clean; i++) {
            char c = s.charAt(i);
            clean = c > 0x20 && c < 0x7F;
        }
        if (clean) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int codePoint = s.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint > 0x20 && codePoint < 0x7F) {
                out.append((char) codePoint);
            } else {
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
        }
        return out.toString();
    }

    /** A host name as ASCII (IDNA for international names), checked for characters a Host cannot hold. */
    private static String asciiHost(String host, URI uri) {
        String ascii = host;
        for (int i = 0; i < host.length(); i++) {
            if (host.charAt(i) >= 0x7F) {
                try {
                    ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
                } catch (IllegalArgumentException badName) {
                    throw new IllegalArgumentException("host \"" + host + "\" is not a valid international name, in " + uri, badName);
                }
                break;
            }
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "/?#@[]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("host \"" + host + "\" has a character not allowed in a host name, in " + uri);
            }
        }
        return ascii;
    }

    private static String describe(List<String> values) {
        if (values.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (String value : values) {
            out.append(out.isEmpty() ? "" : ", ").append('"').append(ServerHandshake.shorten(value)).append('"');
        }
        return out.toString();
    }
}
