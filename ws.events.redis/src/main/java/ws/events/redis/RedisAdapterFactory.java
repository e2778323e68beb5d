package ws.events.redis;

import java.time.Duration;
import java.util.Objects;
import ws.events.redis.internal.PubSubAdapter;
import ws.events.redis.internal.ShardedAdapter;
import ws.events.redis.internal.RedisLink;
import ws.events.spi.Adapter;
import ws.events.spi.AdapterFactory;
import ws.events.spi.InMemoryAdapter;
import ws.events.spi.LocalNamespace;

/**
 * Makes the adapters of a server that is one node of a cluster sharing a Redis: every broadcast,
 * room operation and {@code fetchSockets} reaches the sockets of every node, Java or Node (the
 * protocol of the npm {@code @socket.io/redis-adapter} v8: its channels, its requests, its
 * MessagePack encoding).
 *
 * <pre>{@code
 * RedisAdapterFactory redis = RedisAdapterFactory.builder("redis://127.0.0.1:6379").build();
 * EventServer events = EventServer.builder().adapter(redis).build();
 * ...
 * events.close();
 * redis.close();
 * }</pre>
 *
 * <p>Faults: when Redis goes away, local traffic goes on; the connections come back by themselves
 * and subscribe again; what could not be published meanwhile waits in a bounded queue
 * ({@link Builder#maxQueued}) and beyond it is dropped, counted ({@link #dropped()}) and logged.
 * Nothing waits for Redis on a caller's thread. {@code fetchSockets} while Redis is away answers with
 * this node's sockets. Connection state recovery works across nodes: logged broadcasts go to a Redis
 * stream per namespace and sessions to keys expiring with the window, so a client that reconnects to
 * another node recovers there.
 */
public final class RedisAdapterFactory implements AdapterFactory, AutoCloseable {
    private final RedisLink link;
    private final String prefix;
    private final Duration requestTimeout;
    private final int maxLogged;
    private final boolean sharded;

    private RedisAdapterFactory(Builder builder) {
        this.link = new RedisLink(builder.uri, builder.cluster, builder.commandTimeout, builder.maxQueued, builder.maxInbox);
        this.prefix = builder.prefix;
        this.requestTimeout = builder.requestTimeout;
        this.maxLogged = builder.maxLogged;
        this.sharded = builder.sharded;
    }

    /** A builder for the Redis at {@code uri} ({@code redis://[user:password@]host:port[/db]}, or {@code rediss://}). */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    @Override
    public Adapter create(LocalNamespace namespace) {
        return sharded ? new ShardedAdapter(namespace, link, prefix, requestTimeout, maxLogged)
                : new PubSubAdapter(namespace, link, prefix, requestTimeout, maxLogged);
    }

    /** Messages published to Redis so far. */
    public long published() {
        return link.published();
    }

    /** Messages received from Redis so far (this node's own included). */
    public long received() {
        return link.received();
    }

    /** Messages dropped so far: not published (Redis away or too slow, the queue full) or not dispatched. */
    public long dropped() {
        return link.dropped();
    }

    /**
     * Whether this node is ready: its connections to Redis are up and, on a standalone Redis, every
     * subscription is confirmed on the current connection. After Redis comes back it turns true only
     * once Lettuce has subscribed again (some time after the sockets are open), since until then this
     * node misses what other nodes publish. On a Redis Cluster: whether the connections are up.
     */
    public boolean connected() {
        return link.connected();
    }

    /** Closes the connections to Redis; close the event server first. */
    @Override
    public void close() {
        link.close();
    }

    /** Options of a {@link RedisAdapterFactory}. */
    public static final class Builder {
        private final String uri;
        private String prefix = "socket.io";
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private int maxQueued = 10_000;
        private int maxInbox = 10_000;
        private int maxLogged = InMemoryAdapter.DEFAULT_MAX_LOGGED;
        private boolean sharded;
        private boolean cluster;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The channels' prefix, the npm adapter's {@code key} ("socket.io"); the same on every node. */
        public Builder prefix(String value) {
            if (value == null || value.isEmpty() || value.contains("#")) {
                throw new IllegalArgumentException("a prefix is non-empty, without '#': " + value);
            }
            prefix = value;
            return this;
        }

        /** How long {@code fetchSockets} waits for the other nodes' answers (5 s, the npm adapter's {@code requestsTimeout}). */
        public Builder requestTimeout(Duration value) {
            requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /** How long a Redis command may take before it fails and its message is dropped (5 s). */
        public Builder commandTimeout(Duration value) {
            commandTimeout = positive(value, "commandTimeout");
            return this;
        }

        /**
         * The most messages waiting for Redis (10,000): queued while it is away, or sent and not yet
         * answered. Beyond it, a message is dropped and counted.
         */
        public Builder maxQueued(int value) {
            maxQueued = atLeastOne(value, "maxQueued");
            return this;
        }

        /** The most messages received from Redis waiting to be applied here (10,000); beyond it they are dropped and counted. */
        public Builder maxInbox(int value) {
            maxInbox = atLeastOne(value, "maxInbox");
            return this;
        }

        /** The most events each namespace keeps for connection state recovery (100,000). */
        public Builder maxLogged(int value) {
            maxLogged = atLeastOne(value, "maxLogged");
            return this;
        }

        /**
         * Sharded pub/sub (Redis 7 {@code SPUBLISH}/{@code SSUBSCRIBE}), the wire of the npm
         * {@code createShardedAdapter} with its "dynamic" subscriptions: a room's broadcasts on a
         * channel of its own, which a node subscribes to while it has members in the room. Every node
         * of a cluster uses the same mode. Off by default.
         */
        public Builder sharded(boolean value) {
            sharded = value;
            return this;
        }

        /**
         * A Redis Cluster, of which the URI names any node (Lettuce's cluster client): each
         * {@code SPUBLISH} and {@code SSUBSCRIBE} goes to the primary that owns its channel's slot,
         * the recovery stream and session keys to the primaries that own theirs. Only with
         * {@link #sharded} (the mode made for a cluster: classic pub/sub would reach every shard, and
         * {@code PUBSUB NUMSUB}, which counts the nodes, counts one shard's subscribers only). Off by
         * default.
         */
        public Builder cluster(boolean value) {
            cluster = value;
            return this;
        }

        /**
         * Connects to Redis.
         *
         * @throws IllegalArgumentException for {@link #cluster} without {@link #sharded}
         * @throws IllegalStateException    when Redis cannot be reached now
         */
        public RedisAdapterFactory build() {
            if (cluster && !sharded) {
                throw new IllegalArgumentException("a Redis Cluster takes the sharded mode: cluster(true) needs sharded(true)");
            }
            return new RedisAdapterFactory(this);
        }

        private static Duration positive(Duration value, String what) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " is positive: " + value);
            }
            return value;
        }

        private static int atLeastOne(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " is at least 1: " + value);
            }
            return value;
        }
    }
}
