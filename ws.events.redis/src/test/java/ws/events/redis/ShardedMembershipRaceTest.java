package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.events.redis.internal.RedisLink;
import ws.events.redis.internal.ShardedAdapter;
import ws.events.spi.BroadcastPacket;
import ws.events.spi.LocalNamespace;
import ws.events.spi.SocketInfo;

/**
 * The sharded adapter subscribes a node to a room's channel while the room has a member on it. A join
 * racing the room's last leave must not leave the node unsubscribed from a room that has a member
 * again: the join sees the leaving member still there (so it subscribes to nothing), the leave then
 * finds the room empty (so it unsubscribes), and the joiner is added after. The adapter holds one lock
 * from a membership check to the (un)subscribe it decides on, so the leave waits for the join.
 *
 * <p>The interleaving is made exact with the joined rooms' set: its first iteration is the join's
 * membership check, and when it ends (before the joiner is added) the test runs the leave on another
 * thread, and goes on once that thread has finished or is parked on a lock. Redis, a real
 * {@code redis-server}, then says whether this node is subscribed to the room's channel.
 */
@DisplayName("ShardedAdapter: a join racing the room's last leave keeps the node subscribed to the room")
class ShardedMembershipRaceTest {
    private static final String ROOM = "lobby";
    private static final String LEAVING = "leaving-socket-id-0001";
    private static final String JOINING = "joining-socket-id-0002";

    private RedisProcess redis;
    private RedisLink link;
    private ShardedAdapter adapter;

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) {
            adapter.close();
        }
        if (link != null) {
            link.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @DisplayName("del (leaving the room) between the join's check and its add")
    void leaveDuringJoin() throws Exception {
        race((adapter, socket) -> adapter.del(socket, ROOM));
    }

    @Test
    @DisplayName("delAll (a disconnect) between the join's check and its add")
    void disconnectDuringJoin() throws Exception {
        race((adapter, socket) -> adapter.delAll(socket));
    }

    private void race(BiConsumer<ShardedAdapter, String> leave) throws Exception {
        redis = RedisProcess.start();
        link = new RedisLink(redis.uri(), false, Duration.ofSeconds(5), 1000, 1000);
        adapter = new ShardedAdapter(new Namespace(), link, "socket.io", Duration.ofSeconds(5), 100);
        String roomChannel = ShardedAdapter.channel("socket.io", "/") + ROOM + "#";
        adapter.addAll(LEAVING, Set.of(LEAVING, ROOM)).get(30, TimeUnit.SECONDS);
        assertEquals(1L, subscribers(roomChannel), "subscribed to the room while it has a member");

        Thread[] leaver = new Thread[1];
        Set<String> rooms = new CheckedRooms(Set.of(JOINING, ROOM), () -> {
            leaver[0] = Thread.ofPlatform().name("leaver").start(() -> leave.accept(adapter, LEAVING));
            awaitDoneOrParked(leaver[0]);
        });
        adapter.addAll(JOINING, rooms).get(30, TimeUnit.SECONDS);
        leaver[0].join(TimeUnit.SECONDS.toMillis(30));

        assertEquals(Set.of(JOINING), adapter.sockets(Set.of(ROOM)), "the joiner is the room's member");
        assertEquals(1L, subscribers(roomChannel), "the node is still subscribed to the room it has a member in");
    }

    /**
     * How many subscribe to {@code channel}, once every (un)subscribe sent before was handled: a
     * subscription of the link's confirmed after them (one connection, in order) is the barrier.
     */
    private long subscribers(String channel) throws Exception {
        link.subscribeSharded(List.of("barrier#" + System.nanoTime()), false).get(30, TimeUnit.SECONDS);
        return link.shardSubscribers(channel).get(30, TimeUnit.SECONDS);
    }

    /** Until {@code thread} ended or parked on a lock (waiting for the join to release it). */
    private static void awaitDoneOrParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.isAlive() && LockSupport.getBlocker(thread) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the leave neither ended nor waited within 30 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Rooms whose first full iteration (the join's membership check) ends with {@code afterCheck}. */
    private static final class CheckedRooms extends AbstractSet<String> {
        private final Set<String> rooms;
        private Runnable afterCheck;

        CheckedRooms(Set<String> rooms, Runnable afterCheck) {
            this.rooms = rooms;
            this.afterCheck = afterCheck;
        }

        @Override
        public Iterator<String> iterator() {
            Iterator<String> each = rooms.iterator();
            Runnable[] hook = {afterCheck};
            afterCheck = null;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    boolean more = each.hasNext();
                    if (!more && hook[0] != null) {
                        Runnable once = hook[0];
                        hook[0] = null;
                        once.run();
                    }
                    return more;
                }

                @Override
                public String next() {
                    return each.next();
                }
            };
        }

        @Override
        public int size() {
            return rooms.size();
        }
    }

    /** A namespace with no sockets to deliver to and no recovery. */
    private static final class Namespace implements LocalNamespace {
        @Override
        public String name() {
            return "/";
        }

        @Override
        public void deliver(BroadcastPacket packet, Collection<String> socketIds, boolean dropIfBusy) {
        }

        @Override
        public int deliverWithAck(BroadcastPacket packet, Collection<String> socketIds, boolean dropIfBusy,
                                  Duration timeout, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ArrayNode> reply) {
            return 0;
        }

        @Override
        public Optional<SocketInfo> socketInfo(String socketId) {
            return Optional.empty();
        }

        @Override
        public void disconnect(String socketId, boolean close) {
        }

        @Override
        public Duration recoveryWindow() {
            return Duration.ZERO;
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
