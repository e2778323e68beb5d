package ws.events.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to Redis shared by every namespace of a server (or by an emitter): one for
 * publishing and commands, one for subscriptions (Lettuce reconnects both by itself and subscribes
 * again to what was subscribed), and one thread that runs what arrives, in order.
 *
 * <p>Nothing here blocks a caller: a publish is queued in Lettuce's request queue, which is bounded;
 * when it is full, when Redis does not answer within the command timeout, or when the connection is
 * down and the queue is full, the message is dropped, counted and logged (at most every 10 seconds).
 * Messages from Redis wait in a bounded inbox for the dispatch thread; when it is full they are
 * dropped and counted the same way, so a slow handler never backs up into Lettuce's I/O thread.
 *
 * <p>On a Redis Cluster (Lettuce's cluster client), commands on keys and {@code SPUBLISH} go to the
 * primary that owns their slot (Lettuce routes them), and each {@code SSUBSCRIBE} goes to the
 * primary that owns its channel's slot, on a connection of its own to that primary (Redis answers
 * {@code MOVED} elsewhere), whose messages come to the same dispatch thread.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Receives what arrives on subscribed channels, on the dispatch thread. */
    public interface Subscriber {
        /** A message on {@code channel}. */
        void onMessage(String channel, byte[] message);
    }

    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> pubConnection;
    private final RedisClusterAsyncCommands<byte[], byte[]> pub;
    private final StatefulRedisPubSubConnection<byte[], byte[]> sub;
    /** The same as {@code sub} on a Redis Cluster, else null. */
    private final StatefulRedisClusterPubSubConnection<byte[], byte[]> clusterSub;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Runnable> inbox;
    private final Thread dispatcher;
    private final Duration timeout;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private volatile boolean closed;
    /**
     * What this link asked Redis to subscribe to ({@code c:} channels, {@code p:} patterns, {@code s:}
     * shard channels), and of those what Redis confirmed on the subscribing connection since it last
     * connected: Lettuce subscribes again after a reconnect, some time after the socket is open, and
     * until Redis confirms, messages on what is not confirmed are missed. Tracked on a standalone
     * Redis only (a cluster's shard subscriptions are on one connection per primary).
     */
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    /**
     * Connects to Redis.
     *
     * @param uri        {@code redis://[user:password@]host:port[/db]} (or {@code rediss://}); with
     *                   {@code cluster}, any node of the Redis Cluster
     * @param cluster    whether it is a Redis Cluster
     * @param timeout    how long a command may take before it counts as failed
     * @param maxQueued  the most commands waiting for Redis (queued while it is away, or unanswered)
     * @param maxInbox   the most received messages waiting for the dispatch thread
     * @throws IllegalStateException when Redis cannot be reached at first
     */
    public RedisLink(String uri, boolean cluster, Duration timeout, int maxQueued, int maxInbox) {
        this.timeout = timeout;
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.inbox = new ArrayBlockingQueue<>(maxInbox);
        if (cluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(redisUri);
            ClusterClientOptions.Builder options = ClusterClientOptions.builder();
            common(options, timeout, maxQueued);
            // follow MOVED/ASK and failovers: the slot owners are read again when they change
            options.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(30)).build());
            clusterClient.setOptions(options.build());
            this.client = clusterClient;
            try {
                StatefulRedisClusterConnection<byte[], byte[]> connection = clusterClient.connect(ByteArrayCodec.INSTANCE);
                this.pubConnection = connection;
                this.pub = connection.async();
                this.clusterSub = clusterClient.connectPubSub(ByteArrayCodec.INSTANCE);
                this.sub = clusterSub;
            } catch (RuntimeException e) {
                throw unreachable(redisUri, e);
            }
            clusterSub.setNodeMessagePropagation(true); // the primaries' messages to the listener below
            // a connection to each primary now, so that a room's first SSUBSCRIBE does not wait for one
            for (RedisClusterNode node : clusterSub.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    clusterSub.getConnectionAsync(node.getNodeId());
                }
            }
        } else {
            RedisClient standalone = RedisClient.create(redisUri);
            ClientOptions.Builder options = ClientOptions.builder();
            common(options, timeout, maxQueued);
            standalone.setOptions(options.build());
            this.client = standalone;
            try {
                StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
                this.pubConnection = connection;
                this.pub = connection.async();
                this.sub = standalone.connectPubSub(ByteArrayCodec.INSTANCE);
                this.clusterSub = null;
            } catch (RuntimeException e) {
                throw unreachable(redisUri, e);
            }
        }
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                receive(channel, message);
            }

            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                receive(channel, message);
            }

            @Override
            public void smessage(byte[] channel, byte[] message) {
                receive(channel, message);
            }

            @Override
            public void subscribed(byte[] channel, long count) {
                confirmed.add("c:" + name(channel));
            }

            @Override
            public void psubscribed(byte[] pattern, long count) {
                confirmed.add("p:" + name(pattern));
            }

            @Override
            public void ssubscribed(byte[] channel, long count) {
                confirmed.add("s:" + name(channel));
            }

            @Override
            public void unsubscribed(byte[] channel, long count) {
                confirmed.remove("c:" + name(channel));
            }

            @Override
            public void punsubscribed(byte[] pattern, long count) {
                confirmed.remove("p:" + name(pattern));
            }

            @Override
            public void sunsubscribed(byte[] channel, long count) {
                confirmed.remove("s:" + name(channel));
            }
        });
        if (sub instanceof RedisChannelHandler<?, ?> handler) {
            handler.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                    confirmed.clear(); // Redis forgets a dropped connection's subscriptions
                }
            });
        }
        this.dispatcher = Thread.ofPlatform().daemon().name("ws-events-redis").start(this::dispatch);
    }

    /** The options of both clients: reconnect by itself, a bounded request queue, timeouts, keep-alive. */
    private static void common(ClientOptions.Builder options, Duration timeout, int maxQueued) {
        options.autoReconnect(true)
                .requestQueueSize(maxQueued)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build());
    }

    private IllegalStateException unreachable(RedisURI uri, RuntimeException e) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        return new IllegalStateException("Redis at " + uri.getHost() + ":" + uri.getPort() + " cannot be reached: "
                + e.getMessage(), e);
    }

    private void receive(byte[] channel, byte[] message) {
        received.incrementAndGet();
        String name = new String(channel, StandardCharsets.UTF_8);
        if (!inbox.offer(() -> subscribers.forEach(s -> s.onMessage(name, message)))) {
            fail("a message from Redis on " + name + " (the inbox is full)", null);
        }
    }

    private void dispatch() {
        while (!closed) {
            Runnable next;
            try {
                next = inbox.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next != null) {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.warn("a message from Redis failed", e);
                }
            }
        }
    }

    /** Adds a receiver of every message on the subscribed channels. */
    public void addSubscriber(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** Removes a receiver. */
    public void removeSubscriber(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Subscribes to channels and patterns, waiting up to the timeout for Redis to confirm. */
    public void subscribe(List<String> channels, List<String> patterns) {
        want(true, "c:", channels);
        want(true, "p:", patterns);
        try {
            if (!patterns.isEmpty()) {
                sub.async().psubscribe(bytes(patterns)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!channels.isEmpty()) {
                sub.async().subscribe(bytes(channels)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // Lettuce sends the subscriptions when it connects again
            LOG.warn("subscribing to {} {} is not confirmed yet: {}", channels, patterns, e.toString());
        }
    }

    /**
     * Subscribes to shard channels (SSUBSCRIBE), waiting up to the timeout for Redis to confirm when {@code wait}.
     *
     * @return completes when Redis confirmed every channel's subscription, fails if it could not be sent
     */
    public CompletableFuture<Void> subscribeSharded(List<String> channels, boolean wait) {
        want(true, "s:", channels);
        CompletableFuture<?> confirmed = null;
        try {
            if (clusterSub == null) {
                confirmed = sub.async().ssubscribe(bytes(channels)).toCompletableFuture();
            } else { // each on the connection to its slot's primary (channels of several slots may not share one SSUBSCRIBE)
                List<CompletableFuture<?>> each = new ArrayList<>();
                for (String channel : channels) {
                    byte[] name = Channels.bytes(channel);
                    each.add(clusterSub.getConnectionAsync(owner(name))
                            .thenCompose(connection -> connection.async().ssubscribe(name).toCompletableFuture()));
                }
                confirmed = CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
            }
            if (wait) {
                confirmed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            LOG.warn("subscribing to the shard channels {} is not confirmed yet: {}", channels, e.toString());
        }
        return confirmed == null ? CompletableFuture.failedFuture(new IllegalStateException("not subscribed to " + channels))
                : confirmed.thenApply(answer -> null);
    }

    /** Unsubscribes from shard channels, without waiting. */
    public void unsubscribeSharded(List<String> channels) {
        want(false, "s:", channels);
        if (closed || !sub.isOpen()) {
            return;
        }
        if (clusterSub == null) {
            sub.async().sunsubscribe(bytes(channels));
            return;
        }
        for (String channel : channels) {
            byte[] name = Channels.bytes(channel);
            clusterSub.getConnectionAsync(owner(name)).thenAccept(connection -> connection.async().sunsubscribe(name));
        }
    }

    /** The id of the cluster's primary that owns the slot of {@code channel}. */
    private String owner(byte[] channel) {
        RedisClusterNode node = clusterSub.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
        if (node == null) {
            throw new IllegalStateException("no primary owns the slot of " + new String(channel, StandardCharsets.UTF_8));
        }
        return node.getNodeId();
    }

    /** Unsubscribes, without waiting. */
    public void unsubscribe(List<String> channels, List<String> patterns) {
        want(false, "c:", channels);
        want(false, "p:", patterns);
        if (closed || !sub.isOpen()) {
            return;
        }
        if (!patterns.isEmpty()) {
            sub.async().punsubscribe(bytes(patterns));
        }
        if (!channels.isEmpty()) {
            sub.async().unsubscribe(bytes(channels));
        }
    }

    /** Publishes a message, without waiting; a failure is counted and logged. */
    public void publish(String channel, byte[] message) {
        send("a message on " + channel, true, () -> pub.publish(Channels.bytes(channel), message));
    }

    /** Publishes to a shard channel (SPUBLISH), without waiting; a failure is counted and logged. */
    public void publishSharded(String channel, byte[] message) {
        send("a message on " + channel, true, () -> pub.spublish(Channels.bytes(channel), message));
    }

    /** Sends a command without waiting: its failure counts as a drop; its success, when {@code publish}, as a publish. */
    private void send(String what, boolean publish, Supplier<? extends CompletionStage<?>> command) {
        try {
            command.get().whenComplete((result, error) -> {
                if (error != null) {
                    fail(what, error);
                } else if (publish) {
                    published.incrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            fail(what, e);
        }
    }

    /** How many clients subscribe to a channel (PUBSUB NUMSUB): the nodes of a namespace. */
    public CompletableFuture<Long> subscribers(String channel) {
        return count(() -> pub.pubsubNumsub(Channels.bytes(channel)));
    }

    /** How many clients subscribe to a shard channel (PUBSUB SHARDNUMSUB, asked of the primary that owns it). */
    public CompletableFuture<Long> shardSubscribers(String channel) {
        return count(() -> pub.pubsubShardNumsub(Channels.bytes(channel)));
    }

    private static CompletableFuture<Long> count(Supplier<RedisFuture<Map<byte[], Long>>> command) {
        try {
            return command.get().toCompletableFuture()
                    .thenApply(counts -> counts.values().stream().mapToLong(Long::longValue).sum());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Appends an entry to a stream trimmed to about {@code maxLength} entries, without waiting; a failure is counted. */
    public void append(String stream, Map<String, byte[]> fields, long maxLength) {
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        fields.forEach((name, value) -> body.put(Channels.bytes(name), value));
        send("an entry of " + stream, false, () -> pub.xadd(Channels.bytes(stream),
                XAddArgs.Builder.maxlen(maxLength).approximateTrimming(true), body));
    }

    /** The newest entries of a stream, newest first, up to {@code end} (an entry id, or "+"), at most {@code count}. */
    public CompletableFuture<List<StreamMessage<byte[], byte[]>>> newest(String stream, String end, int count) {
        try {
            return pub.xrevrange(Channels.bytes(stream), Range.create("-", end), Limit.from(count)).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sets a key that expires after {@code ttl}, without waiting; a failure is counted. */
    public void putExpiring(String key, byte[] value, Duration ttl) {
        send("the key " + key, false,
                () -> pub.set(Channels.bytes(key), value, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))));
    }

    /** Gets a key and deletes it (GETDEL): null when absent. */
    public CompletableFuture<byte[]> take(String key) {
        try {
            return pub.getdel(Channels.bytes(key)).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Messages published. */
    public long published() {
        return published.get();
    }

    /** Messages not published or not dispatched (Redis away or slow, a queue full). */
    public long dropped() {
        return dropped.get();
    }

    /** Messages received from Redis. */
    public long received() {
        return received.get();
    }

    /**
     * Whether both connections are up now and, on a standalone Redis, every subscription is confirmed
     * on the current subscribing connection: after Redis comes back, true only once Lettuce has
     * subscribed again, when messages are heard again.
     */
    public boolean connected() {
        return pubConnection.isOpen() && sub.isOpen() && (clusterSub != null || confirmed.containsAll(wanted));
    }

    private void want(boolean subscribe, String kind, List<String> names) {
        for (String name : names) {
            if (subscribe) {
                wanted.add(kind + name);
            } else {
                wanted.remove(kind + name);
            }
        }
    }

    private static String name(byte[] channel) {
        return new String(channel, StandardCharsets.UTF_8);
    }

    private void fail(String what, Throwable error) {
        long count = dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("Redis: {} was dropped ({} dropped so far): {}", what, count,
                    error == null ? "" : String.valueOf(error.getMessage()));
        }
    }

    private static byte[][] bytes(List<String> names) {
        return names.stream().map(Channels::bytes).toArray(byte[][]::new);
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            sub.close();
            pubConnection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
