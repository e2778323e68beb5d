package ws.events.redis;

import java.net.URI;
import java.util.function.UnaryOperator;
import ws.events.EventServer;
import ws.events.client.ClientSocket;
import ws.events.client.EventClient;
import ws.protocol.api.WebSocketServer;

/** One node of a test cluster: an event server on a loopback port with a Redis adapter. */
final class Node implements AutoCloseable {
    final RedisAdapterFactory redis;
    final EventServer events;
    final WebSocketServer server;
    private final java.util.List<EventClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    Node(String redisUri, UnaryOperator<EventServer.Builder> configure) throws Exception {
        this(redisUri, configure, UnaryOperator.identity());
    }

    Node(String redisUri, UnaryOperator<EventServer.Builder> configure, UnaryOperator<RedisAdapterFactory.Builder> adapter)
            throws Exception {
        redis = adapter.apply(RedisAdapterFactory.builder(redisUri).requestTimeout(java.time.Duration.ofSeconds(10))).build();
        events = configure.apply(EventServer.builder().adapter(redis)).build();
        server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(0)).start();
    }

    /** A connected client of this node's main namespace. */
    ClientSocket client() {
        EventClient client = EventClient.builder(URI.create("http://127.0.0.1:" + server.port())).build();
        clients.add(client);
        return client.socket();
    }

    @Override
    public void close() {
        clients.forEach(EventClient::close);
        events.close();
        server.close();
        redis.close();
    }
}
