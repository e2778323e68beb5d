package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.events.redis.ClusterTest.WAIT;
import static ws.events.redis.ClusterTest.client;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ws.events.client.ClientSocket;

/**
 * Redis killed and started again under a running cluster: each node goes on serving its own
 * sockets, counts what it could not publish, and by itself connects and subscribes again, after
 * which emits cross nodes again.
 */
class RedisFaultTest {
    private RedisProcess redis;
    private Node a;
    private Node b;

    @AfterEach
    void stop() throws Exception {
        for (Node node : new Node[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void localTrafficGoesOnWhileRedisIsDownAndTheClusterHealsWhenItIsBack() throws Exception {
        redis = RedisProcess.start();
        // at most 2 messages wait for Redis on A: the rest of an outage's messages are dropped and counted
        a = new Node(redis.uri(), builder -> builder, adapter -> adapter.maxQueued(2).commandTimeout(Duration.ofSeconds(2)));
        b = new Node(redis.uri(), builder -> builder, adapter -> adapter.requestTimeout(Duration.ofSeconds(3)));
        ClusterTest.wire(a.events);
        ClusterTest.wire(b.events);
        BlockingQueue<String> neighbour = new LinkedBlockingQueue<>();
        BlockingQueue<String> remote = new LinkedBlockingQueue<>();
        ClientSocket sender = client(a, new LinkedBlockingQueue<>(), "room");
        client(a, neighbour, "room");
        client(b, remote, "room");
        sender.emit("say", "room", "before");
        assertEquals("before", remote.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("before", neighbour.poll(WAIT, TimeUnit.SECONDS));

        redis.kill();
        awaitTrue(() -> !a.redis.connected(), "A sees Redis gone");
        for (int i = 0; i < 10; i++) {
            sender.emit("say", "room", "during " + i);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("during " + i, neighbour.poll(WAIT, TimeUnit.SECONDS), "A's own sockets are served");
        }
        assertEquals(2, a.events.sockets().to("room").fetchSockets().get(WAIT, TimeUnit.SECONDS).size(),
                "without Redis, fetchSockets answers with this node's sockets");
        awaitTrue(() -> a.redis.dropped() >= 8, "what could not wait for Redis is dropped and counted: " + a.redis.dropped());

        redis.restart();
        awaitTrue(() -> a.redis.connected() && b.redis.connected(), "both nodes reconnect by themselves");
        String heard = null;
        for (int attempt = 0; attempt < 120 && (heard == null || !heard.startsWith("after")); attempt++) {
            sender.emit("say", "room", "after " + attempt);
            heard = remote.poll(500, TimeUnit.MILLISECONDS);
        }
        assertTrue(heard != null && heard.startsWith("after"), "B subscribed again and hears A: " + heard);
        assertEquals(3, fetchAcrossNodes(), "requests cross nodes again");
    }

    /**
     * The room's sockets as B counts them across both nodes. Pub/sub delivers at most once, and in
     * the moments after a reconnect a request or its answer can still be lost (A's queue holds two
     * commands, in flight included); and B counts the nodes with PUBSUB NUMSUB on the request
     * channel, which counts A only once Lettuce has subscribed A's connection again, some time after
     * the connection is open (B hearing A proves B's subscriptions, not A's): until then B rightly
     * answers with its own socket alone. So B asks again until both nodes answer or the deadline
     * passes; the last count is returned.
     */
    private int fetchAcrossNodes() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                int count = b.events.sockets().to("room").fetchSockets().get(WAIT, TimeUnit.SECONDS).size();
                if (count == 3 || System.nanoTime() > deadline) {
                    return count;
                }
                Thread.sleep(50);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof java.util.concurrent.TimeoutException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what);
            }
            Thread.sleep(50);
        }
    }
}
