package ws.protocol.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a server listens and whom it hands connections to. Build with {@link WebSocketServer#builder()}.
 * What these options mean for each request (routing, interceptors, the HTTP answers) is computed in
 * one place for every transport: {@link ws.protocol.server.ServerCore}.
 *
 * @param host            the address to bind ({@code "0.0.0.0"} for all; loopback by default)
 * @param port            the port; 0 picks a free one; -1 binds nothing (connections arrive only
 *                        through a socket transport's {@code handleUpgrade}, or a
 *                        testkit's in-memory network)
 * @param backlog         the accept queue length
 * @param routes          where upgrade requests go, first match wins
 * @param interceptor     decides each upgrade after routing, before the route's own interceptor
 * @param http            where plain HTTP requests go, first match wins; none matching: 426 on a
 *                        route path, 404 elsewhere
 * @param maxHttpBodySize the largest plain HTTP request body read, in bytes (413 above it)
 * @param connection      options for every connection
 * @param transport       the transport to run on; {@code null}: {@link Transport#defaultTransport()}
 * @param jmx             whether the server registers its {@link WebSocketServer#metrics() metrics} as a
 *                        platform MXBean ({@link WebSocketServerMXBean}) while it runs; off by default
 */
public record ServerOptions(String host, int port, int backlog, List<Route> routes, HandshakeInterceptor interceptor,
                            List<HttpRoute> http, int maxHttpBodySize, ConnectionOptions connection,
                            Transport transport, boolean jmx) {

    /** The default {@link #maxHttpBodySize()}: 1 MiB. */
    public static final int DEFAULT_MAX_HTTP_BODY_SIZE = 1 << 20;

    /** Checks the values and that no part but the transport is null. */
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
        http = List.copyOf(http);
        if (maxHttpBodySize < 0) {
            throw new IllegalArgumentException("maxHttpBodySize " + maxHttpBodySize + " < 0");
        }
        Objects.requireNonNull(connection, "connection");
    }

    /** Collects server options; {@link #start()} starts the server. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private int backlog = 1024;
        private final List<Route> routes = new ArrayList<>();
        private HandshakeInterceptor interceptor = HandshakeInterceptor.acceptAll();
        private final List<HttpRoute> http = new ArrayList<>();
        private int maxHttpBodySize = DEFAULT_MAX_HTTP_BODY_SIZE;
        private ConnectionOptions connection = ConnectionOptions.defaults();
        private Transport transport;
        private boolean jmx;

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
            return route(path, List.of(), HandshakeInterceptor.acceptAll(), listener);
        }

        /** Routes connections on {@code path} that offer one of {@code subprotocols} to {@code listener}. */
        public Builder route(String path, List<String> subprotocols, WebSocketListener listener) {
            return route(path, subprotocols, HandshakeInterceptor.acceptAll(), listener);
        }

        /**
         * Routes connections on {@code path} to {@code listener}, each decided by {@code interceptor}
         * after the server's own interceptor accepted it: it may reject (a 400 with a JSON body) or
         * accept with attributes, headers or a subprotocol of its own.
         */
        public Builder route(String path, HandshakeInterceptor interceptor, WebSocketListener listener) {
            return route(path, List.of(), interceptor, listener);
        }

        /** Routes connections on {@code path} that offer one of {@code subprotocols}, decided by {@code interceptor}. */
        public Builder route(String path, List<String> subprotocols, HandshakeInterceptor interceptor,
                             WebSocketListener listener) {
            routes.add(new Route(path, subprotocols, interceptor, listener));
            return this;
        }

        /** Decides every upgrade request after routing, before the route's own interceptor. */
        public Builder interceptor(HandshakeInterceptor value) {
            interceptor = Objects.requireNonNull(value, "interceptor");
            return this;
        }

        /**
         * Answers plain HTTP requests on {@code path} (exact {@code /x} or prefix {@code /x/*}; {@code /*}
         * for every path) with {@code handler}; the first matching handler wins. Requests no handler
         * matches get 426 on a WebSocket route's path, 404 elsewhere.
         */
        public Builder http(String path, HttpHandler handler) {
            http.add(new HttpRoute(path, handler));
            return this;
        }

        /** The largest plain HTTP request body read, in bytes; larger gets 413 (default 1 MiB). */
        public Builder maxHttpBodySize(int bytes) {
            maxHttpBodySize = bytes;
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

        /**
         * Registers the server's metrics as a platform MXBean while it runs (named
         * {@code dev.ws:type=WebSocketServer,...}, see {@link WebSocketServerMXBean}); off by default.
         */
        public Builder jmx(boolean value) {
            jmx = value;
            return this;
        }

        /** The options collected so far. */
        public ServerOptions build() {
            return new ServerOptions(host, port, backlog, routes, interceptor, http, maxHttpBodySize, connection, transport,
                    jmx);
        }

        /** Builds the options and starts a server on the chosen transport. */
        public WebSocketServer start() throws java.io.IOException {
            ServerOptions options = build();
            Transport chosen = options.transport() != null ? options.transport() : Transport.defaultTransport();
            return chosen.startServer(options);
        }
    }
}
