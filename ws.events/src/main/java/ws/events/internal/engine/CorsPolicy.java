package ws.events.internal.engine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The cross-origin rules the engine applies to long-polling requests: the engine's own copy of the
 * server's {@code ws.events.Cors} setting, so this package needs nothing from the API package above it.
 *
 * @param origins        allowed origins, or {@code ["*"]} for any; empty: no CORS headers at all
 * @param credentials    whether {@code Access-Control-Allow-Credentials} is sent (the origin is then echoed)
 * @param allowedHeaders request headers a page may send; empty: {@code Content-Type}
 * @param maxAge         how long a browser may cache a preflight answer; zero: no {@code Access-Control-Max-Age}
 */
public record CorsPolicy(List<String> origins, boolean credentials, List<String> allowedHeaders, Duration maxAge) {
    /** Copies the lists. */
    public CorsPolicy {
        origins = List.copyOf(origins);
        allowedHeaders = List.copyOf(allowedHeaders);
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The {@code Access-Control-Allow-Origin} value for a request's {@code Origin}, if it is allowed. */
    Optional<String> allowOrigin(String origin) {
        if (origin == null || origins.isEmpty()) {
            return Optional.empty();
        }
        if (origins.contains("*")) {
            return Optional.of(credentials ? origin : "*");
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        return origins.stream().anyMatch(o -> o.toLowerCase(Locale.ROOT).equals(lower)) ? Optional.of(origin) : Optional.empty();
    }
}
