package ws.benchmark.peers;

import ws.events.EventServer;
import ws.events.Namespace;
import ws.events.redis.RedisAdapterFactory;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;

/**
 * Our event server (ws.events, Socket.IO v5) for the events benchmark, the same shape as
 * {@code bench/node/socketio-server.mjs}: {@code join room} joins and acks, {@code publish text}
 * emits {@code tick text} to the benchmark room, {@code ping ...args} acks with its arguments. With a
 * Redis URI it is one node of a cluster (ws.events.redis in the default pub/sub mode of
 * {@code @socket.io/redis-adapter}), so {@code publish} reaches the room's members on every node.
 * Usage: {@code EventsServer PORT [TRANSPORT [redis://HOST:PORT]]}; prints "listening on PORT".
 */
public final class EventsServer {
    private EventsServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Transport transport = args.length > 1 ? Transport.named(args[1]) : Transport.defaultTransport();
        // every benchmark client comes from 127.0.0.1: past the default of 256 sessions per address
        EventServer.Builder builder = EventServer.builder().maxSessionsPerAddress(10_000);
        if (args.length > 2) {
            builder.adapter(RedisAdapterFactory.builder(args[2]).build());
        }
        EventServer events = builder.build();
        Namespace main = events.sockets();
        main.onConnection(socket -> {
            socket.on("join", String.class, (room, event) -> {
                socket.join(room);
                event.ack(room);
            });
            socket.on("publish", event -> main.to("bench").emit("tick", event.args().get(0)));
            socket.on("ping", event -> event.ack(event.args().get(0)));
        });
        WebSocketServer server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(port).transport(transport))
                .start();
        System.out.println("listening on " + server.port());
        Thread.currentThread().join();
    }
}
