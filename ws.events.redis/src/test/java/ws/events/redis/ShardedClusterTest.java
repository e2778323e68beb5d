package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.events.EventSocket;

/**
 * The same cluster, in sharded mode (SPUBLISH/SSUBSCRIBE, a channel per room): every scenario of
 * {@link ClusterTest} holds.
 */
class ShardedClusterTest extends ClusterTest {
    @Override
    boolean sharded() {
        return true;
    }

    /**
     * A room new to a node gets a channel of its own, which the node subscribes to: the join's future
     * completes once Redis confirmed that subscription, so what another node sends to the room right
     * after it reaches the socket (an ack sent on the join's completion cannot overtake it).
     */
    @Test
    void aJoinCompletesOnceTheNodeIsSubscribedToTheRoomsChannel() throws Exception {
        Node a = node();
        BlockingQueue<EventSocket> connected = new LinkedBlockingQueue<>();
        a.events.sockets().onConnection(connected::add);
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        client(a, heard);
        EventSocket socket = connected.poll(WAIT, TimeUnit.SECONDS);
        redis.cli("CLIENT", "PAUSE", "3000", "ALL"); // Redis answers no client meanwhile, SSUBSCRIBE included
        CompletableFuture<Void> joined = socket.join("quiet");
        assertFalse(joined.isDone(), "not before Redis confirmed the room's subscription");
        joined.get(WAIT, TimeUnit.SECONDS);
        try (RedisEmitter emitter = emitter()) {
            emitter.of("/").to("quiet").emit("said", "right after the join");
        }
        assertEquals("right after the join", heard.poll(WAIT, TimeUnit.SECONDS));
    }

    /**
     * A join whose room subscription cannot even be sent (here the node's queue of commands waiting for
     * Redis is full) fails at once: broadcasts to the room from other nodes would not reach the socket.
     */
    @Test
    void aJoinFailsWhenTheRoomsSubscriptionCannotBeSent() throws Exception {
        try (Node a = new Node(redisUri(), builder -> builder, builder -> options(builder).maxQueued(1))) {
            BlockingQueue<EventSocket> connected = new LinkedBlockingQueue<>();
            a.events.sockets().onConnection(connected::add);
            a.client().connect().join();
            EventSocket socket = connected.poll(WAIT, TimeUnit.SECONDS);
            redis.cli("CLIENT", "PAUSE", "3000", "ALL");
            CompletableFuture<Void> first = socket.join("first"); // its SSUBSCRIBE fills the queue
            CompletableFuture<Void> second = socket.join("second");
            assertThrows(ExecutionException.class, () -> second.get(WAIT, TimeUnit.SECONDS));
            first.get(WAIT, TimeUnit.SECONDS);
        }
    }
}
