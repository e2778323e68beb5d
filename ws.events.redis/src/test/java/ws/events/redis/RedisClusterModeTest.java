package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ws.events.client.ClientSocket;

/**
 * The sharded mode on a real Redis Cluster of three primaries ({@link RedisClusterProcess}), the
 * nodes built with {@code cluster(true)}: every scenario of {@link ClusterTest} holds, with the
 * namespace's channel, the rooms' channels, the answer channels and the emitter's on whichever
 * primary owns their slots; and rooms on each of the three primaries cross nodes.
 */
class RedisClusterModeTest extends ClusterTest {
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    boolean sharded() {
        return true;
    }

    @Override
    String redisUri() {
        return cluster.uri();
    }

    @Override
    RedisAdapterFactory.Builder options(RedisAdapterFactory.Builder builder) {
        return builder.sharded(true).cluster(true);
    }

    @Override
    RedisEmitter emitter() {
        return RedisEmitter.connectToCluster(redisUri(), "socket.io", new com.fasterxml.jackson.databind.ObjectMapper());
    }

    @Test
    void roomsOnEachPrimaryReachTheOtherNode() throws Exception {
        List<String> rooms = new ArrayList<>(); // one room whose channel is on each third of the slots
        for (int third = 0, i = 0; third < 3; i++) {
            String room = "r" + i;
            if (SlotHash.getSlot(("socket.io#/#" + room + "#").getBytes(StandardCharsets.UTF_8)) * 3 / SlotHash.SLOT_COUNT == third) {
                rooms.add(room);
                third++;
            }
        }
        Node a = node();
        Node b = node();
        BlockingQueue<String> atB = new LinkedBlockingQueue<>();
        ClientSocket talker = client(a, new LinkedBlockingQueue<>(), rooms.toArray(String[]::new));
        client(b, atB, rooms.toArray(String[]::new));
        for (String room : rooms) {
            awaitMembers(a, room, 2);
            talker.emit("say", room, "to " + room);
            assertEquals("to " + room, atB.poll(WAIT, TimeUnit.SECONDS), room);
        }
        assertNull(atB.poll(200, TimeUnit.MILLISECONDS), "each once");
    }

    @Test
    void aClusterTakesTheShardedMode() {
        assertThrows(IllegalArgumentException.class, () -> RedisAdapterFactory.builder(redisUri()).cluster(true).build());
    }
}
