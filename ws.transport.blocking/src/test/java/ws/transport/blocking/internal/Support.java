package ws.transport.blocking.internal;

import java.time.Duration;
import java.util.stream.Stream;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** The socket transports and the event-loop transport, and options with short timeouts so the suite stays fast. */
final class Support {
    static final Duration WAIT = Duration.ofSeconds(10);

    private Support() {
    }

    /** The blocking transport's settings with a virtual-thread factory, as ws.transport.virtualthreads runs it. */
    static TransportSettings virtualSettings() {
        return TransportSettings.platformThreads()
                .withConnectionThreads("virtual", 20, Thread.ofVirtual().factory())
                .withBuffers(8 << 10, 8 << 10, 0);
    }

    /**
     * Every plain TCP transport, for {@code @MethodSource}: platform threads, virtual threads, and the
     * event loops (two, so connections of one test share and cross loops).
     */
    static Stream<Transport> transports() {
        return Stream.of(new SocketTransport(TransportSettings.platformThreads()), new SocketTransport(virtualSettings()),
                new ws.transport.eventloop.EventLoopTransport(2));
    }

    /**
     * The socket transports alone, for tests of what only they have (taking over a socket, layers,
     * their stream runtime's counters, a thread per connection).
     */
    static Stream<Transport> socketTransports() {
        return Stream.of(new SocketTransport(TransportSettings.platformThreads()), new SocketTransport(virtualSettings()));
    }

    /** No keepalive, 2 s close and handshake timeouts. */
    static ConnectionOptions fast() {
        return ConnectionOptions.defaults()
                .withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))
                .withCloseTimeout(Duration.ofSeconds(2))
                .withHandshakeTimeout(Duration.ofSeconds(2));
    }

    static ServerOptions.Builder server(Transport transport) {
        return WebSocketServer.builder().transport(transport).connection(fast());
    }

    static ClientOptions.Builder client(Transport transport) {
        return WebSocketClient.builder().transport(transport).connection(fast());
    }

    static java.net.URI uri(WebSocketServer server, String path) {
        return java.net.URI.create("ws://127.0.0.1:" + server.port() + path);
    }
}
