package ws.events;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Cross-origin rules for the HTTP long-polling requests of browser pages served from another
 * origin (WebSocket connections are not subject to CORS: check their {@code Origin} with the server's
 * handshake interceptor, {@code HandshakeInterceptor.allowOrigins}).
 *
 * @param origins          allowed origins ({@code "https://app.example.com"}), or {@code ["*"]} for any
 * @param credentials      whether cookies and credentials may be sent ({@code Access-Control-Allow-Credentials})
 * @param allowedHeaders   request headers a page may send ({@code Access-Control-Allow-Headers})
 * @param maxAge           how long a browser may cache a preflight answer
 */
public record Cors(List<String> origins, boolean credentials, List<String> allowedHeaders, Duration maxAge) {

    /** Checks the components. */
    public Cors {
        origins = List.copyOf(origins);
        allowedHeaders = List.copyOf(allowedHeaders);
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /** No cross-origin access (the default): no CORS headers are sent. */
    public static Cors none() {
        return new Cors(List.of(), false, List.of(), Duration.ZERO);
    }

    /** Any origin, without credentials. */
    public static Cors anyOrigin() {
        return new Cors(List.of("*"), false, List.of(), Duration.ofDays(1));
    }

    /** These origins only. */
    public static Cors origins(String... allowed) {
        return new Cors(List.of(allowed), false, List.of(), Duration.ofDays(1));
    }

    /** The same, with credentials allowed (the origin is then echoed, never {@code *}). */
    public Cors withCredentials() {
        return new Cors(origins, true, allowedHeaders, maxAge);
    }

    /** The same, allowing these request headers too. */
    public Cors withAllowedHeaders(String... headers) {
        return new Cors(origins, credentials, List.of(headers), maxAge);
    }
}
