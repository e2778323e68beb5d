package ws.protocol.handshake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ws.protocol.extension.ExtensionParameters;

/**
 * The HTTP request that opened, or tried to open, a connection: the request line and headers.
 *
 * @param method  the request method, as sent ("GET")
 * @param target  the request target, as sent ("/chat?room=1")
 * @param version the HTTP version, as sent ("HTTP/1.1")
 * @param headers the header fields
 */
public record HandshakeRequest(String method, String target, String version, HttpHeaders headers) {

    /** Checks that no part is null. */
    public HandshakeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /** The path of the target, without the query ("/chat"). */
    public String path() {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("ws://") || lower.startsWith("wss://")) {
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return path;
    }

    /** The raw query, without '?', or empty. */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? "" : target.substring(query + 1);
    }

    /** The query parameters, percent-decoded, in order; a name may have several values. */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        String query = query();
        if (query.isEmpty()) {
            return Map.of();
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        parameters.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(parameters);
    }

    /** The first value of the query parameter {@code name}, if present. */
    public Optional<String> queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of the header {@code name}, if present. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** The {@code Origin} header, if present. */
    public Optional<String> origin() {
        return headers.first("Origin");
    }

    /** The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of preference. */
    public List<String> subprotocols() {
        return headers.tokens("Sec-WebSocket-Protocol");
    }

    /**
     * The extensions the client offered in {@code Sec-WebSocket-Extensions}, in order.
     *
     * @throws IllegalArgumentException if the header does not follow the grammar of RFC 6455 section 9.1
     */
    public List<ExtensionParameters> extensions() {
        return ExtensionParameters.parseAll(headers.all("Sec-WebSocket-Extensions"));
    }

    /** The cookies of the {@code Cookie} headers, by name (RFC 6265 section 4.2). */
    public Map<String, String> cookies() {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : headers.all("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.putIfAbsent(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
        }
        return Collections.unmodifiableMap(cookies);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }
}
