package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.events.redis.ClusterTest.WAIT;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ws.events.Recovery;
import ws.events.client.ClientSocket;
import ws.events.client.EventClient;
import ws.events.client.Reconnection;

/**
 * Connection state recovery across nodes: a client whose connection drops and who reconnects to
 * another node (the balancer sent it elsewhere) gets its session back there, with what was emitted
 * to its rooms meanwhile, in order, once each; on one Redis, and on a Redis Cluster of three primaries
 * in the sharded mode (the stream and the session keys on the primaries that own their slots).
 */
class RecoveryAcrossNodesTest {
    private RedisProcess redis;
    private RedisClusterProcess cluster;
    private Node a;
    private Node b;
    private SwitchingProxy balancer;
    private EventClient roaming;

    @AfterEach
    void stop() throws Exception {
        if (roaming != null) {
            roaming.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        for (Node node : new Node[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClientThatReconnectsToAnotherNodeRecoversItsSessionAndWhatItMissed() throws Exception {
        redis = RedisProcess.start();
        recoversOnAnotherNode(redis.uri(), UnaryOperator.identity());
    }

    @Test
    void onARedisClusterToo() throws Exception {
        cluster = RedisClusterProcess.start();
        recoversOnAnotherNode(cluster.uri(), options -> options.sharded(true).cluster(true));
    }

    private void recoversOnAnotherNode(String uri, UnaryOperator<RedisAdapterFactory.Builder> options) throws Exception {
        a = new Node(uri, builder -> builder.recovery(Recovery.defaults()), options);
        b = new Node(uri, builder -> builder.recovery(Recovery.defaults()), options);
        ClusterTest.wire(a.events);
        ClusterTest.wire(b.events);
        balancer = new SwitchingProxy(a.server.port());
        roaming = EventClient.builder(URI.create("http://127.0.0.1:" + balancer.port()))
                .reconnection(Reconnection.DEFAULT.withDelays(Duration.ofMillis(500), Duration.ofSeconds(1)))
                .build();
        ClientSocket traveller = roaming.socket();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        Semaphore connects = new Semaphore(0);
        Semaphore disconnects = new Semaphore(0);
        traveller.on("said", String.class, heard::add);
        traveller.onConnect(connects::release);
        traveller.onDisconnect(reason -> disconnects.release());
        traveller.connect().join();
        traveller.emitWithAck("join", "room").join();
        String id = traveller.id();
        ClientSocket speaker = ClusterTest.client(b, new LinkedBlockingQueue<>(), "room");
        speaker.emit("say", "room", "one");
        assertEquals("one", heard.poll(WAIT, TimeUnit.SECONDS));
        assertTrue(connects.tryAcquire(WAIT, TimeUnit.SECONDS));

        balancer.switchTo(b.server.port());
        // the client comes back once A has stored the session, not merely after its reconnection
        // delay: on a loaded machine A could still be on its way there, and B would find nothing
        balancer.hold();
        balancer.dropAll();
        assertTrue(disconnects.tryAcquire(WAIT, TimeUnit.SECONDS), "the client saw its connection drop");
        speaker.emit("say", "room", "two");
        speaker.emit("say", "room", "three");
        awaitGone(a, id);
        balancer.release();

        assertTrue(connects.tryAcquire(WAIT, TimeUnit.SECONDS), "the client reconnected, through the balancer, to B");
        assertTrue(traveller.recovered(), "B restored the session A persisted");
        assertEquals(id, traveller.id(), "the same socket id");
        assertEquals("two", heard.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("three", heard.poll(WAIT, TimeUnit.SECONDS));
        assertNull(heard.poll(500, TimeUnit.MILLISECONDS), "each missed event once");
        assertEquals(1, b.events.sockets().sockets().size() - 1, "the recovered socket is B's now (and the speaker)");
        speaker.emit("say", "room", "four");
        assertEquals("four", heard.poll(WAIT, TimeUnit.SECONDS), "and in its rooms again");
    }

    /**
     * Waits until {@code node} no longer has the socket {@code id}: the socket leaves its namespace
     * just before the node stores the session for recovery, in the same call (EventSocket.onClose).
     */
    private static void awaitGone(Node node, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (node.events.sockets().sockets().stream().anyMatch(socket -> socket.id().equals(id))) {
            assertTrue(System.nanoTime() < deadline, "A still has the socket " + id);
            Thread.sleep(20);
        }
    }
}
