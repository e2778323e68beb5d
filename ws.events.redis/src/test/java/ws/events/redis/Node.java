package ws.events.redis;

import java.net.URI;
import java.util.function.UnaryOperator;
import ws.events.EventServer;
import ws.events.client.ClientSocket;
import ws.events.client.EventClient;
import ws.protocol.api.WebSocketServer;

/**
 * One node of a test cluster: an event server on a loopback port with a Redis adapter; or, made by
 * {@link #remote}, only the port of a node in another process (for its clients).
 */
final class Node implements AutoCloseable {
    final RedisAdapterFactory redis;
    final EventServer events;
    final WebSocketServer server;
    private final int port;
    private final java.util.List<EventClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    Node(String redisUri, UnaryOperator<EventServer.Builder> configure) throws Exception {
        this(redisUri, configure, UnaryOperator.identity());
    }

    Node(String redisUri, UnaryOperator<EventServer.Builder> configure, UnaryOperator<RedisAdapterFactory.Builder> adapter)
            throws Exception {
        redis = adapter.apply(RedisAdapterFactory.builder(redisUri).requestTimeout(java.time.Duration.ofSeconds(10))).build();
        events = configure.apply(EventServer.builder().adapter(redis)).build();
        server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(0)).start();
        port = server.port();
    }

    private Node(int port) {
        this.redis = null;
        this.events = null;
        this.server = null;
        this.port = port;
    }

    /** A node in another process, listening on {@code port}. */
    static Node remote(int port) {
        return new Node(port);
    }

    /** A connected client of this node's main namespace. */
    ClientSocket client() {
        EventClient client = EventClient.builder(URI.create("http://127.0.0.1:" + port)).build();
        clients.add(client);
        return client.socket();
    }

    @Override
    public void close() {
        clients.forEach(EventClient::close);
        if (events != null) {
            events.close();
            server.close();
            redis.close();
        }
    }
}
