package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.events.client.ClientSocket;
import ws.events.client.EventClient;
import ws.protocol.api.Transport;

/**
 * {@code ws chat --redis}: two chat servers on one real redis-server (started here on a free port)
 * show the same rooms with the same user counts, counted over both, whichever server a page is on.
 */
class ChatClusterTest {

    @Test
    void twoChatServersOnOneRedisCountTheUsersOfBoth() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("chat-redis");
        Process redis = new ProcessBuilder(redisServer(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
        try {
            awaitListening(port);
            String uri = "redis://127.0.0.1:" + port;
            try (ChatCluster clusterA = ChatCluster.join(uri); ChatCluster clusterB = ChatCluster.join(uri);
                 ChatServer a = ChatServer.start("127.0.0.1", 0, Transport.defaultTransport(), clusterA.adapter());
                 ChatServer b = ChatServer.start("127.0.0.1", 0, Transport.defaultTransport(), clusterB.adapter());
                 EventClient annClient = EventClient.builder(URI.create("http://127.0.0.1:" + a.server().port())).build();
                 EventClient bobClient = EventClient.builder(URI.create("http://127.0.0.1:" + b.server().port())).build()) {
                BlockingQueue<String> annSees = new LinkedBlockingQueue<>();
                BlockingQueue<String> bobSees = new LinkedBlockingQueue<>();
                ClientSocket ann = annClient.socket().on("rooms", event -> annSees.add(event.args().get(0).toString()));
                ClientSocket bob = bobClient.socket().on("rooms", event -> bobSees.add(event.args().get(0).toString()));
                ann.connect().get(30, TimeUnit.SECONDS);
                bob.connect().get(30, TimeUnit.SECONDS);

                ann.emitWithAck("join", Map.of("name", "ann", "room", "lobby")).get(30, TimeUnit.SECONDS);
                String bobJoined = bob.emitWithAck("join", Map.of("name", "bob", "room", "lobby")).get(30, TimeUnit.SECONDS)
                        .get(0).get("rooms").toString();
                String bothInTheLobby = "[{\"name\":\"lobby\",\"users\":2}]";
                assertEquals(bothInTheLobby, bobJoined, "bob's join on B counts ann on A");
                awaitRooms(annSees, bothInTheLobby, "ann on A is told of bob on B");

                bob.emitWithAck("join", Map.of("name", "bob", "room", "dev")).get(30, TimeUnit.SECONDS);
                String oneEach = "[{\"name\":\"dev\",\"users\":1},{\"name\":\"lobby\",\"users\":1}]";
                awaitRooms(annSees, oneEach, "ann on A sees bob move on B");
                awaitRooms(bobSees, oneEach, "bob on B sees the same");

                ann.disconnect();
                awaitRooms(bobSees, "[{\"name\":\"dev\",\"users\":1},{\"name\":\"lobby\",\"users\":0}]",
                        "bob on B sees ann leave A");
            }
        } finally {
            redis.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Waits (generously) until a page is pushed this room list; earlier lists may come first. */
    private static void awaitRooms(BlockingQueue<String> pushed, String expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = null;
        while (System.nanoTime() < deadline) {
            String rooms = pushed.poll(1, TimeUnit.SECONDS);
            if (expected.equals(rooms)) {
                return;
            }
            last = rooms == null ? last : rooms;
        }
        fail(what + ": expected " + expected + ", last pushed " + last);
    }

    private static String redisServer() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not installed (apt-get install redis-server; .ci/peers does)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port);
    }
}
