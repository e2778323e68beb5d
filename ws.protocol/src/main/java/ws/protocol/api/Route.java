package ws.protocol.api;

import java.util.List;
import java.util.Objects;

/**
 * Where upgrade requests go: a path pattern, the subprotocols the handler speaks, and the listener.
 * The pattern is an exact path ({@code /chat}) or a prefix ending in {@code /*} ({@code /rooms/*});
 * {@code /*} matches every path.
 *
 * @param path         the path pattern
 * @param subprotocols the subprotocols this route speaks, in the server's preference; empty: none
 * @param listener     the listener for every connection on this route
 */
public record Route(String path, List<String> subprotocols, WebSocketListener listener) {

    public Route {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path \"" + path + "\" must start with /");
        }
        subprotocols = List.copyOf(subprotocols);
        Objects.requireNonNull(listener, "listener");
    }

    /** Whether this route's pattern matches a request path. */
    public boolean matches(String requestPath) {
        if (path.endsWith("/*")) {
            String prefix = path.substring(0, path.length() - 1);
            return requestPath.startsWith(prefix) || requestPath.equals(prefix.substring(0, prefix.length() - 1));
        }
        return path.equals(requestPath);
    }
}
