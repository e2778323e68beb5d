package ws.events.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import ws.events.redis.internal.Channels;
import ws.events.redis.internal.RedisAdapter.SocketsOp;
import ws.events.redis.internal.RedisLink;
import ws.events.redis.internal.ShardedAdapter;
import ws.events.redis.internal.Wire;
import ws.events.spi.BroadcastOptions;

/**
 * Emits to the sockets of a cluster from a process that holds none (a worker, a cron job), through
 * the cluster's Redis: what {@code @socket.io/redis-emitter} does, on the same wire, so the nodes may
 * be Java or Node.
 *
 * <pre>{@code
 * try (RedisEmitter emitter = RedisEmitter.connect("redis://127.0.0.1:6379")) {
 *     emitter.of("/chat").to("room-1").emit("news", new News("..."));
 *     emitter.of("/").socketsJoin("everyone");
 * }
 * }</pre>
 * Emits are published without waiting; see {@link #dropped()}. Thread-safe.
 */
public final class RedisEmitter implements AutoCloseable {
    /** The uid the npm emitter publishes under; the nodes ignore nothing from it. */
    private static final String UID = "emitter";

    private final RedisLink link;
    private final String prefix;
    private final ObjectMapper mapper;
    private final boolean sharded;

    private RedisEmitter(RedisLink link, String prefix, ObjectMapper mapper, boolean sharded) {
        this.link = link;
        this.prefix = prefix;
        this.mapper = mapper;
        this.sharded = sharded;
    }

    /** An emitter on the Redis at {@code uri}, for a cluster in the default mode with the default prefix. */
    public static RedisEmitter connect(String uri) {
        return connect(uri, "socket.io", new ObjectMapper(), false);
    }

    /**
     * An emitter on the Redis at {@code uri}.
     *
     * @param prefix  the channels' prefix of the cluster ("socket.io")
     * @param mapper  writes the arguments as JSON trees
     * @param sharded whether the cluster uses the sharded mode ({@link RedisAdapterFactory.Builder#sharded})
     * @throws IllegalStateException when Redis cannot be reached now
     */
    public static RedisEmitter connect(String uri, String prefix, ObjectMapper mapper, boolean sharded) {
        return connect(uri, false, prefix, mapper, sharded);
    }

    /**
     * An emitter on a Redis Cluster of which {@code uri} names any node, for nodes built with
     * {@link RedisAdapterFactory.Builder#cluster} (and so in the sharded mode).
     *
     * @param prefix the channels' prefix of the cluster ("socket.io")
     * @param mapper writes the arguments as JSON trees
     * @throws IllegalStateException when Redis cannot be reached now
     */
    public static RedisEmitter connectToCluster(String uri, String prefix, ObjectMapper mapper) {
        return connect(uri, true, prefix, mapper, true);
    }

    private static RedisEmitter connect(String uri, boolean cluster, String prefix, ObjectMapper mapper, boolean sharded) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(mapper, "mapper");
        return new RedisEmitter(new RedisLink(uri, cluster, Duration.ofSeconds(5), 10_000, 1), prefix, mapper, sharded);
    }

    /** The sockets of a namespace ({@code "/"}, {@code "/chat"}), on every node. */
    public Target of(String namespace) {
        if (namespace == null || !namespace.startsWith("/")) {
            throw new IllegalArgumentException("a namespace starts with '/': " + namespace);
        }
        return new Target(namespace, new BroadcastOptions(Set.of(), Set.of(), false, false));
    }

    /** Messages that could not be published (Redis away or too slow, the queue full). */
    public long dropped() {
        return link.dropped();
    }

    @Override
    public void close() {
        link.close();
    }

    /** A selection of a namespace's sockets across the cluster. Immutable. */
    public final class Target {
        private final String namespace;
        private final BroadcastOptions options;

        private Target(String namespace, BroadcastOptions options) {
            this.namespace = namespace;
            this.options = options;
        }

        /** Also reaches the sockets in these rooms. */
        public Target to(String... rooms) {
            Set<String> more = new HashSet<>(options.rooms());
            more.addAll(List.of(rooms));
            return new Target(namespace, new BroadcastOptions(more, options.except(), options.dropIfBusy(), false));
        }

        /** Leaves out the sockets in these rooms. */
        public Target except(String... rooms) {
            Set<String> more = new HashSet<>(options.except());
            more.addAll(List.of(rooms));
            return new Target(namespace, new BroadcastOptions(options.rooms(), more, options.dropIfBusy(), false));
        }

        /** Volatile delivery: a socket that cannot take the event at once misses it. */
        public Target asVolatile() {
            return new Target(namespace, new BroadcastOptions(options.rooms(), options.except(), true, false));
        }

        /** Emits an event: arguments are written by the mapper ({@code byte[]} as binary). */
        public void emit(String event, Object... args) {
            ArrayNode data = mapper.createArrayNode();
            data.add(Objects.requireNonNull(event, "event"));
            for (Object arg : args) {
                JsonNode tree = mapper.valueToTree(arg);
                data.add(tree == null ? data.nullNode() : tree);
            }
            if (sharded) {
                link.publishSharded(ShardedAdapter.broadcastChannel(prefix, namespace, options.rooms()),
                        ShardedAdapter.broadcast(UID, namespace, data, options, null));
            } else {
                link.publish(Channels.of(prefix, namespace, UID).broadcastChannel(options.rooms()),
                        Wire.broadcast(UID, namespace, data, options, null));
            }
        }

        /** Makes the selected sockets join rooms. */
        public void socketsJoin(String... rooms) {
            request(SocketsOp.JOIN, Wire.REMOTE_JOIN, Set.of(rooms), false);
        }

        /** Makes the selected sockets leave rooms. */
        public void socketsLeave(String... rooms) {
            request(SocketsOp.LEAVE, Wire.REMOTE_LEAVE, Set.of(rooms), false);
        }

        /** Disconnects the selected sockets; {@code close} also closes their connections. */
        public void disconnectSockets(boolean close) {
            request(SocketsOp.DISCONNECT, Wire.REMOTE_DISCONNECT, Set.of(), close);
        }

        private void request(SocketsOp op, int type, Set<String> rooms, boolean close) {
            if (sharded) {
                link.publishSharded(ShardedAdapter.channel(prefix, namespace),
                        ShardedAdapter.sockets(UID, namespace, op, options, rooms, close));
            } else {
                link.publish(Channels.of(prefix, namespace, UID).request(),
                        Wire.json(Wire.socketsRequest(UID, type, options, rooms, close)));
            }
        }
    }
}
