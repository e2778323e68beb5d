package ws.protocol.api;

import java.util.Objects;

/**
 * The path patterns of {@link Route} and {@link HttpRoute}: an exact path ({@code /chat}) or a prefix
 * ending in {@code /*} ({@code /rooms/*}, which matches {@code /rooms} and everything under
 * {@code /rooms/}); {@code /*} matches every path.
 */
final class PathPattern {

    private PathPattern() {
    }

    /** Checks that {@code pattern} is one. */
    static String check(String pattern) {
        Objects.requireNonNull(pattern, "path");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route path \"" + pattern + "\" must start with /");
        }
        return pattern;
    }

    /** Whether {@code pattern} matches a request path. */
    static boolean matches(String pattern, String requestPath) {
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return requestPath.startsWith(prefix) || requestPath.equals(prefix.substring(0, prefix.length() - 1));
        }
        return pattern.equals(requestPath);
    }
}
