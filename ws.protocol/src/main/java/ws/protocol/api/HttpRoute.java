package ws.protocol.api;

import java.util.Objects;

/**
 * Where plain HTTP requests go: a path pattern (as a {@link Route}'s: exact {@code /x} or prefix
 * {@code /x/*}) and the handler.
 *
 * @param path    the path pattern
 * @param handler the handler of every exchange on a matching path
 */
public record HttpRoute(String path, HttpHandler handler) {

    /** Checks the pattern and that the handler is not null. */
    public HttpRoute {
        PathPattern.check(path);
        Objects.requireNonNull(handler, "handler");
    }

    /** Whether this route's pattern matches a request path. */
    public boolean matches(String requestPath) {
        return PathPattern.matches(path, requestPath);
    }
}
