package ws.events.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.BroadcastPacket;
import ws.events.spi.InMemoryAdapter;
import ws.events.spi.LocalNamespace;
import ws.events.spi.PersistedSession;
import ws.events.spi.RestoredSession;
import ws.events.spi.SocketInfo;

/**
 * The adapter of one namespace on one node of a cluster sharing a Redis: each operation is applied
 * here (with {@code super}) and published for the other nodes, which apply it to their own sockets;
 * {@code fetchSockets} and broadcasts with acks ask every node (as many as Redis counts) and gather
 * their answers, with a timeout; recovery goes through a Redis stream ({@link RecoveryLog}). The
 * wire, channels and encoding are a subclass's: {@link PubSubAdapter} (@socket.io/redis-adapter) or
 * {@link ShardedAdapter} (its sharded mode).
 */
public abstract class RedisAdapter extends InMemoryAdapter implements RedisLink.Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(RedisAdapter.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest acknowledgement timeout taken from another node's request. */
    private static final Duration MAX_ACK_TIMEOUT = Duration.ofMinutes(5);

    /** What a request on many sockets does. */
    public enum SocketsOp { JOIN, LEAVE, DISCONNECT }

    protected final RedisLink link;
    protected final String uid;
    private final Duration requestTimeout;
    private final int maxLogged;
    private final RecoveryLog recovery;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();

    /** A fetchSockets request waiting for the other nodes. */
    private static final class Pending {
        private final ReentrantLock lock = new ReentrantLock();
        private final List<SocketInfo> sockets;
        private long awaited;
        private final CompletableFuture<List<SocketInfo>> done = new CompletableFuture<>();

        Pending(List<SocketInfo> local, long awaited) {
            this.sockets = new ArrayList<>(local);
            this.awaited = awaited;
        }

        void add(List<SocketInfo> more) {
            lock.lock();
            try {
                sockets.addAll(more);
                if (--awaited <= 0) {
                    done.complete(List.copyOf(sockets));
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** A broadcast with acknowledgements waiting for the other nodes' counts; their answers go to {@code reply}. */
    private static final class AckRequest {
        private final ReentrantLock lock = new ReentrantLock();
        private final Consumer<ArrayNode> reply;
        private final CompletableFuture<Integer> counted = new CompletableFuture<>();
        private long awaited;
        private int count;

        AckRequest(Consumer<ArrayNode> reply, long awaited, int localCount) {
            this.reply = reply;
            this.awaited = awaited;
            this.count = localCount;
        }

        void add(int clientCount) {
            lock.lock();
            try {
                count += clientCount;
                if (--awaited <= 0) {
                    counted.complete(count);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * An adapter for {@code namespace}; the subclass subscribes when constructed.
     *
     * @param prefix         the channels' prefix ("socket.io" as in the npm adapter)
     * @param requestTimeout how long {@code fetchSockets} waits for the other nodes
     */
    protected RedisAdapter(LocalNamespace namespace, RedisLink link, String prefix, Duration requestTimeout, int maxLogged) {
        super(namespace, maxLogged);
        this.link = link;
        this.uid = newId(6);
        this.requestTimeout = requestTimeout;
        this.maxLogged = maxLogged;
        this.recovery = new RecoveryLog(link, prefix, namespace.name(), maxLogged, namespace::recoveryWindow);
    }

    // ---------------------------------------------------------------------------------------------
    // The wire, a subclass's

    /**
     * Publishes a broadcast for the other nodes, with its recovery offset (or null); {@code data}
     * is the event's array, or its {@link MsgPack.EncodedArray#node()} when already encoded.
     */
    protected abstract void publishBroadcast(JsonNode data, BroadcastOptions options, String offset);

    /** Publishes a broadcast expecting acknowledgements. */
    protected abstract void publishBroadcastWithAck(String requestId, ArrayNode data, BroadcastOptions options, Duration timeout);

    /** Publishes a join, leave or disconnect of the selected sockets. */
    protected abstract void publishSockets(SocketsOp op, BroadcastOptions options, Set<String> rooms, boolean close);

    /** Publishes a fetchSockets request. */
    protected abstract void publishFetch(String requestId, BroadcastOptions options);

    /** Answers a fetchSockets request of node {@code requester}. */
    protected abstract void respondFetch(String requester, String requestId, ArrayNode sockets);

    /** Answers a broadcast with acks of node {@code requester}: how many sockets it reached here. */
    protected abstract void respondClientCount(String requester, String requestId, int count);

    /** Forwards one socket's answer to a broadcast with acks of node {@code requester}. */
    protected abstract void respondAck(String requester, String requestId, JsonNode answer);

    /** How many nodes serve this namespace, this one included. */
    protected abstract CompletableFuture<Long> countNodes();

    // ---------------------------------------------------------------------------------------------
    // Operations of this node

    /**
     * Delivers here, then publishes for the other nodes with the offset it was logged under, and,
     * when recovery is on, appends it to the namespace's stream, from which any node recovers it.
     */
    @Override
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        String offset = broadcastLogged(packet, options, null);
        if (options.local()) {
            return;
        }
        if (offset == null) {
            publishBroadcast(packet.data(), options, null);
            return;
        }
        // the arguments encoded once, for the message and for the stream (there with the offset last)
        MsgPack.EncodedArray data = MsgPack.EncodedArray.of(packet.data());
        publishBroadcast(data.node(), options, offset);
        link.append(recovery.stream(), Map.of(
                RecoveryLog.OFFSET, offset.getBytes(StandardCharsets.UTF_8),
                RecoveryLog.SELECTION, Wire.json(Wire.selection(options)),
                RecoveryLog.DATA, MsgPack.encode(data.plus(offset).node())), maxLogged);
    }

    /**
     * Sends to the selected sockets of every node, each node reporting how many sockets it sent to
     * and every answer (its first value, as socket.io keeps it). The count fails with a timeout when
     * a node does not report within {@code timeout}; without Redis, this node's count.
     */
    @Override
    public CompletableFuture<Integer> broadcastWithAck(BroadcastPacket packet, BroadcastOptions options, Duration timeout,
                                                       Consumer<ArrayNode> reply) {
        if (options.local()) {
            return super.broadcastWithAck(packet, options, timeout, reply);
        }
        return countNodes().handle((nodes, error) -> {
            if (error != null || nodes <= 1) {
                if (error != null) {
                    LOG.warn("broadcastWithAck on {}: Redis cannot count the nodes ({}), sending on this node only",
                            namespace().name(), error.toString());
                }
                return super.broadcastWithAck(packet, options, timeout, reply);
            }
            String requestId = newId(6);
            return super.broadcastWithAck(packet, options, timeout, reply).thenCompose(local -> {
                AckRequest request = new AckRequest(reply, nodes - 1, local);
                ackRequests.put(requestId, request);
                // answers keep coming until the timeout; the count completes when every node reported
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> ackRequests.remove(requestId));
                publishBroadcastWithAck(requestId, packet.data(), options, timeout);
                return request.counted.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            });
        }).thenCompose(future -> future);
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        if (!options.local()) {
            publishSockets(SocketsOp.JOIN, options, rooms, false);
        }
        super.addSockets(options, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        if (!options.local()) {
            publishSockets(SocketsOp.LEAVE, options, rooms, false);
        }
        super.delSockets(options, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        if (!options.local()) {
            publishSockets(SocketsOp.DISCONNECT, options, Set.of(), close);
        }
        super.disconnectSockets(options, close);
    }

    /**
     * The selected sockets of every node. When Redis cannot tell how many nodes there are (it is
     * away), the sockets of this node; when a node does not answer in time, the future fails.
     */
    @Override
    public CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options) {
        List<SocketInfo> local = super.fetchSockets(options).join();
        if (options.local()) {
            return CompletableFuture.completedFuture(local);
        }
        return countNodes().handle((nodes, error) -> {
            if (error != null) {
                LOG.warn("fetchSockets on {}: Redis cannot count the nodes ({}), answering with this node's sockets",
                        namespace().name(), error.toString());
                return CompletableFuture.completedFuture(local);
            }
            if (nodes <= 1) {
                return CompletableFuture.completedFuture(local);
            }
            String requestId = newId(6);
            Pending request = new Pending(local, nodes - 1);
            pending.put(requestId, request);
            publishFetch(requestId, options);
            return request.done.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((sockets, failure) -> pending.remove(requestId));
        }).thenCompose(future -> future);
    }

    @Override
    public void persistSession(PersistedSession session) {
        super.persistSession(session);
        if (namespace().recoveryWindow().isZero()) {
            return;
        }
        link.putExpiring(recovery.sessionKey(session.pid()), RecoveryLog.encode(session), namespace().recoveryWindow());
    }

    /**
     * Recovers a session persisted by any node: Redis is the authority (the session is taken from it
     * once, the missed events read from the namespace's stream after the client's offset); when Redis
     * cannot be asked, this node's own memory.
     */
    @Override
    public CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset) {
        Optional<RestoredSession> local = super.restoreSession(pid, offset).join();
        if (offset == null || namespace().recoveryWindow().isZero()) {
            return CompletableFuture.completedFuture(local);
        }
        return link.take(recovery.sessionKey(pid))
                .thenCompose(stored -> stored == null ? CompletableFuture.completedFuture(Optional.<RestoredSession>empty())
                        : recovery.restore(RecoveryLog.decode(stored), offset))
                .exceptionally(error -> {
                    LOG.warn("recovery on {}: Redis cannot be asked ({}), recovering from this node's memory",
                            namespace().name(), error.toString());
                    return local;
                });
    }

    // ---------------------------------------------------------------------------------------------
    // What other nodes sent, decoded by the subclass

    /** A broadcast of another node (its own are ignored), delivered under its offset when it has one. */
    protected void onRemoteBroadcast(String sender, String nsp, ArrayNode data, BroadcastOptions options, String offset) {
        if (uid.equals(sender) || !namespace().name().equals(nsp)) {
            return;
        }
        broadcastLogged(new BroadcastPacket(nsp, data), options, offset);
    }

    /** A join, leave or disconnect of sockets selected by another node. */
    protected void onRemoteSockets(SocketsOp op, BroadcastOptions options, Set<String> rooms, boolean close) {
        switch (op) {
            case JOIN -> super.addSockets(options, rooms);
            case LEAVE -> super.delSockets(options, rooms);
            case DISCONNECT -> super.disconnectSockets(options, close);
        }
    }

    /** A fetchSockets request of another node: this node's selected sockets, as the npm adapters send them. */
    protected void onRemoteFetch(String requester, String requestId, BroadcastOptions options) {
        ArrayNode sockets = nodes().arrayNode();
        for (SocketInfo info : super.fetchSockets(options).join()) {
            ObjectNode socket = sockets.addObject();
            socket.put("id", info.id());
            socket.set("handshake", info.handshake());
            ArrayNode rooms = socket.putArray("rooms");
            info.rooms().forEach(rooms::add);
            socket.set("data", info.data());
        }
        respondFetch(requester, requestId, sockets);
    }

    /** A broadcast with acks of another node: delivered here, the count and each answer sent back. */
    protected void onRemoteBroadcastWithAck(String requester, String requestId, ArrayNode data, JsonNode opts) {
        long millis = opts.path("flags").path("timeout").asLong(requestTimeout.toMillis());
        Duration timeout = Duration.ofMillis(Math.clamp(millis, 1, MAX_ACK_TIMEOUT.toMillis()));
        super.broadcastWithAck(new BroadcastPacket(namespace().name(), data), Wire.selection(opts), timeout,
                        answer -> respondAck(requester, requestId, answer.isEmpty() ? nodes().nullNode() : answer.get(0)))
                .thenAccept(count -> respondClientCount(requester, requestId, count));
    }

    /** Another node's answer to a fetchSockets request of this node. */
    protected void onFetchResponse(String requestId, JsonNode sockets) {
        Pending request = requestId == null ? null : pending.get(requestId);
        if (request == null || sockets == null || !sockets.isArray()) {
            return;
        }
        List<SocketInfo> infos = new ArrayList<>();
        for (JsonNode socket : sockets) {
            if (socket.path("id").isTextual()) {
                infos.add(new SocketInfo(socket.get("id").textValue(), Wire.strings(socket.get("rooms")),
                        socket.path("data").isMissingNode() ? nodes().nullNode() : socket.get("data"),
                        socket.path("handshake").isMissingNode() ? nodes().objectNode() : socket.get("handshake")));
            }
        }
        request.add(infos);
    }

    /** Another node's count of the sockets a broadcast with acks of this node reached there. */
    protected void onClientCount(String requestId, int count) {
        AckRequest request = requestId == null ? null : ackRequests.get(requestId);
        if (request != null) {
            request.add(count);
        }
    }

    /** One answer, from a socket of another node, to a broadcast with acks of this node. */
    protected void onAck(String requestId, JsonNode answer) {
        AckRequest request = requestId == null ? null : ackRequests.get(requestId);
        if (request != null) {
            request.reply.accept(nodes().arrayNode().add(answer));
        }
    }

    /** Whether a message is a broadcast with acks of this node (its answers are expected). */
    protected boolean awaitsAcks(String requestId) {
        return requestId != null && ackRequests.containsKey(requestId);
    }

    private static String newId(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    @Override
    public void close() {
        link.removeSubscriber(this);
        IllegalStateException closed = new IllegalStateException("the adapter of " + namespace().name() + " is closed");
        pending.values().forEach(request -> request.done.completeExceptionally(closed));
        ackRequests.values().forEach(request -> request.counted.completeExceptionally(closed));
        super.close();
    }
}
