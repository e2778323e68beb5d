package ws.protocol.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import ws.protocol.spi.Transport;

/**
 * How a server listens and whom it hands connections to. Build with {@link WebSocketServer#builder()}.
 *
 * @param host        the address to bind ({@code "0.0.0.0"} for all; loopback by default)
 * @param port        the port; 0 picks a free one; -1 binds nothing (connections arrive only through
 *                    {@link WebSocketServer#handleUpgrade})
 * @param backlog     the accept queue length
 * @param routes      where upgrade requests go, first match wins
 * @param interceptor decides each upgrade after routing
 * @param httpHandler answers plain HTTP requests; {@code null}: 426 on route paths, 404 elsewhere
 * @param connection  options for every connection
 * @param transport   the transport to run on; {@code null}: {@link Transport#defaultTransport()}
 */
public record ServerOptions(String host, int port, int backlog, List<Route> routes, HandshakeInterceptor interceptor,
                            HttpHandler httpHandler, ConnectionOptions connection, Transport transport) {

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in -1..65535");
        }
        routes = List.copyOf(routes);
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one route");
        }
        Objects.requireNonNull(interceptor, "interceptor");
        Objects.requireNonNull(connection, "connection");
    }

    /** The first route whose path matches and that speaks one of the offered subprotocols (or needs none). */
    public java.util.Optional<Route> route(String path, List<String> offeredSubprotocols) {
        Route pathOnly = null;
        for (Route route : routes) {
            if (!route.matches(path)) {
                continue;
            }
            if (route.subprotocols().isEmpty()) {
                if (pathOnly == null) {
                    pathOnly = route;
                }
                continue;
            }
            for (String offered : offeredSubprotocols) {
                if (route.subprotocols().contains(offered)) {
                    return java.util.Optional.of(route);
                }
            }
        }
        return java.util.Optional.ofNullable(pathOnly);
    }

    /** Whether any route's pattern matches {@code path}, whatever the subprotocols. */
    public boolean hasRouteFor(String path) {
        return routes.stream().anyMatch(route -> route.matches(path));
    }

    /** Collects server options; {@link #start()} starts the server. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private int backlog = 1024;
        private final List<Route> routes = new ArrayList<>();
        private HandshakeInterceptor interceptor = HandshakeInterceptor.acceptAll();
        private HttpHandler httpHandler;
        private ConnectionOptions connection = ConnectionOptions.defaults();
        private Transport transport;

        Builder() {
        }

        public Builder host(String value) {
            host = Objects.requireNonNull(value, "host");
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder backlog(int value) {
            backlog = value;
            return this;
        }

        /** Routes every connection on {@code path} to {@code listener}. */
        public Builder route(String path, WebSocketListener listener) {
            routes.add(new Route(path, List.of(), listener));
            return this;
        }

        /** Routes connections on {@code path} that offer one of {@code subprotocols} to {@code listener}. */
        public Builder route(String path, List<String> subprotocols, WebSocketListener listener) {
            routes.add(new Route(path, subprotocols, listener));
            return this;
        }

        public Builder interceptor(HandshakeInterceptor value) {
            interceptor = Objects.requireNonNull(value, "interceptor");
            return this;
        }

        public Builder httpHandler(HttpHandler value) {
            httpHandler = value;
            return this;
        }

        public Builder connection(ConnectionOptions value) {
            connection = Objects.requireNonNull(value, "connection");
            return this;
        }

        /** Changes the connection options: {@code .connection(c -> c.withIdleTimeout(Duration.ofMinutes(5)))}. */
        public Builder connection(UnaryOperator<ConnectionOptions> change) {
            connection = Objects.requireNonNull(change.apply(connection), "connection");
            return this;
        }

        public Builder transport(Transport value) {
            transport = value;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(host, port, backlog, routes, interceptor, httpHandler, connection, transport);
        }

        /** Builds the options and starts a server on the chosen transport. */
        public WebSocketServer start() throws java.io.IOException {
            ServerOptions options = build();
            Transport chosen = options.transport() != null ? options.transport() : Transport.defaultTransport();
            return chosen.startServer(options);
        }
    }
}
