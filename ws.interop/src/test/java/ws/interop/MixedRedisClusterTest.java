package ws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.events.EventServer;
import ws.events.RemoteSocket;
import ws.events.redis.RedisAdapterFactory;
import ws.protocol.api.WebSocketServer;

/**
 * A mixed cluster on one real redis-server: the npm socket.io v4 server with
 * {@code @socket.io/redis-adapter} 8 (in interop/node/redis-cluster.mjs) and our event server with
 * ws.events.redis, in the adapter's default mode and in its sharded mode (SPUBLISH/SSUBSCRIBE). A socket.io-client on each server, in one room: emits to the room, binary
 * arguments, fetchSockets and socketsJoin on the other server's socket, broadcasts with acknowledgements
 * answered by the clients of both servers, each both ways.
 */
class MixedRedisClusterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"classic", "sharded"})
    void theNpmRedisAdapterAndOursShareOneCluster(String mode) throws Exception {
        PeerAssumptions.requirePeer("node socket.io with @socket.io/redis-adapter, redis-server", Peers::redisClusterMissing);
        int port = freePort();
        try (PeerProcess redis = PeerProcess.start(Peers.nodeDirectory(), List.of(Peers.redisServer(), "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))) {
            awaitListening(port);
            String redisUri = "redis://127.0.0.1:" + port;
            try (RedisAdapterFactory adapter = RedisAdapterFactory.builder(redisUri)
                    .requestTimeout(Duration.ofSeconds(10)).sharded(mode.equals("sharded")).build();
                 EventServer events = EventServer.builder().adapter(adapter).build()) {
                events.sockets().onConnection(socket -> socket
                        .on("join", String.class, (room, event) -> {
                            socket.join(room);
                            event.ack(room);
                        })
                        .on("say", String.class, String.class, (room, text, event) -> socket.to(room).emit("said", text))
                        .on("say-binary", String.class, (room, event) -> socket.to(room).emit("blob", (Object) new byte[] {1, 2, 3, (byte) 255}))
                        .on("count", String.class, (room, event) -> events.sockets().to(room).fetchSockets()
                                .thenAccept(sockets -> event.ack(sockets.stream().map(RemoteSocket::id).sorted().toList())))
                        .on("pull", String.class, String.class, (id, room, event) -> events.sockets().to(id).socketsJoin(room))
                        .on("poll", String.class, (room, event) -> events.sockets().to(room)
                                .emitWithAck(Duration.ofSeconds(10), "poll")
                                .whenComplete((answers, error) -> event.ack(error != null ? "error: " + error
                                        : answers.stream().map(answer -> answer.get(0, String.class)).sorted().toList()))));
                WebSocketServer server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(0)).start();
                try (PeerProcess node = PeerProcess.start(Peers.nodeDirectory(),
                        List.of("node", "redis-cluster.mjs", mode, redisUri, "http://127.0.0.1:" + server.port()))) {
                    int status = node.waitFor(TIMEOUT);
                    String output = node.output();
                    System.out.printf("mixed Redis cluster, %s mode:%n%s", mode, output);
                    assertFalse(output.contains("FAIL"), "a check failed\n" + node.describe());
                    assertTrue(output.contains("PASS done"), "the run did not finish\n" + node.describe());
                    assertEquals(0, status, "exit status\n" + node.describe());
                } finally {
                    server.close();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not listen on " + port);
                }
                Thread.sleep(50);
            }
        }
    }
}
