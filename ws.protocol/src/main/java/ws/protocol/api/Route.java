package ws.protocol.api;

import java.util.List;
import java.util.Objects;

/**
 * Where upgrade requests go: a path pattern, the subprotocols the handler speaks, the route's own
 * interceptor, and the listener. The pattern is an exact path ({@code /chat}) or a prefix ending in
 * {@code /*} ({@code /rooms/*}); {@code /*} matches every path.
 *
 * @param path         the path pattern
 * @param subprotocols the subprotocols this route speaks, in the server's preference; empty: none
 * @param interceptor  decides upgrades on this route, after the server's own interceptor accepted
 *                     them ({@link HandshakeInterceptor#acceptAll()} when the route has none)
 * @param listener     the listener for every connection on this route
 */
public record Route(String path, List<String> subprotocols, HandshakeInterceptor interceptor,
                    WebSocketListener listener) {

    /** Checks the pattern and that no part is null. */
    public Route {
        PathPattern.check(path);
        subprotocols = List.copyOf(subprotocols);
        Objects.requireNonNull(interceptor, "interceptor");
        Objects.requireNonNull(listener, "listener");
    }

    /** Whether this route's pattern matches a request path. */
    public boolean matches(String requestPath) {
        return PathPattern.matches(path, requestPath);
    }
}
