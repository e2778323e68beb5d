package ws.protocol.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import ws.protocol.handshake.HttpHeaders;

/**
 * How a client connects. Build with {@link WebSocketClient#builder()}.
 *
 * <p>A builder starts from {@link ConnectionOptions#clientDefaults()}: permessage-deflate is
 * offered unless the extensions are changed ({@code .connection(c -> c.withExtensions(List.of()))}
 * offers none). A server accepts it only when configured to, so against a server without it the
 * connection simply runs uncompressed.
 *
 * @param subprotocols   the subprotocols to offer, most preferred first
 * @param headers        extra request headers (Origin, Authorization, Cookie, ...)
 * @param connectTimeout how long the TCP connect may take
 * @param connection     options for the connection (the handshake timeout is among them)
 * @param transport      the transport to run on; {@code null}: {@link Transport#defaultTransport()}
 * @param proxy          which HTTP proxy each connect goes through ({@link ProxyResolver#system()} by
 *                       default); a transport that connects sockets honours it (TCP to the proxy,
 *                       {@code CONNECT} to the origin, then TLS to the origin for {@code wss://}), one
 *                       whose connections are not sockets (the testkit's loopback) has nothing to route
 */
public record ClientOptions(List<String> subprotocols, HttpHeaders headers, Duration connectTimeout,
                            ConnectionOptions connection, Transport transport, ProxyResolver proxy) {

    /** Copies the subprotocols; checks that nothing is missing and that the connect timeout is positive. */
    public ClientOptions {
        subprotocols = List.copyOf(subprotocols);
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(proxy, "proxy");
    }

    /** Collects client options; {@link #build()} makes a client. */
    public static final class Builder {
        private final List<String> subprotocols = new ArrayList<>();
        private final HttpHeaders.Builder headers = HttpHeaders.builder();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ConnectionOptions connection = ConnectionOptions.clientDefaults();
        private Transport transport;
        private ProxyResolver proxy = ProxyResolver.system();

        Builder() {
        }

        /** Adds subprotocols to offer, in order of preference. */
        public Builder subprotocols(String... values) {
            subprotocols.addAll(List.of(values));
            return this;
        }

        /** Adds a header to the opening request (Origin, Authorization, Cookie, ...). */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /** How long the TCP connect may take (10 seconds by default). */
        public Builder connectTimeout(Duration value) {
            connectTimeout = Objects.requireNonNull(value, "connectTimeout");
            return this;
        }

        /**
         * Replaces the connection options whole (the default permessage-deflate offer included:
         * start from {@link ConnectionOptions#clientDefaults()} to keep it).
         */
        public Builder connection(ConnectionOptions value) {
            connection = Objects.requireNonNull(value, "connection");
            return this;
        }

        /** Changes the connection options: {@code .connection(c -> c.withHandshakeTimeout(Duration.ofSeconds(3)))}. */
        public Builder connection(UnaryOperator<ConnectionOptions> change) {
            connection = Objects.requireNonNull(change.apply(connection), "connection");
            return this;
        }

        /** The transport to run on; {@code null} (the default): {@link Transport#defaultTransport()}. */
        public Builder transport(Transport value) {
            transport = value;
            return this;
        }

        /**
         * Which HTTP proxy each connect goes through: an {@link HttpProxy} (always that one),
         * {@link ProxyResolver#environment()} (opting in to {@code HTTPS_PROXY}, {@code NO_PROXY}, ...),
         * {@link ProxyResolver#direct()}; {@link ProxyResolver#system()} (the JVM's
         * {@code ProxySelector}, so the {@code http.proxyHost} and {@code https.proxyHost} properties)
         * when not called. The connect timeout bounds the TCP connect to the proxy; the proxy's own
         * timeout ({@link HttpProxy#withTimeout}) its answer to {@code CONNECT}; the handshake timeout
         * the whole, TLS and WebSocket handshakes included.
         */
        public Builder proxy(ProxyResolver value) {
            proxy = Objects.requireNonNull(value, "proxy");
            return this;
        }

        /** The options collected so far. */
        public ClientOptions options() {
            return new ClientOptions(subprotocols, headers.build(), connectTimeout, connection, transport, proxy);
        }

        /** A client on the chosen transport. */
        public WebSocketClient build() {
            ClientOptions options = options();
            Transport chosen = options.transport() != null ? options.transport() : Transport.defaultTransport();
            return chosen.newClient(options);
        }
    }
}
