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
 * The adapter of one namespace on one node of a cluster sharing a Redis, speaking
 * @socket.io/redis-adapter's protocol: each operation is applied here (with {@code super}) and
 * published for the other nodes, which apply it to their own sockets; {@code fetchSockets} asks every
 * node (as many as subscribe to the request channel) and gathers their answers, with a timeout.
 */
public final class RedisAdapter extends InMemoryAdapter implements RedisLink.Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(RedisAdapter.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest acknowledgement timeout taken from another node's request. */
    private static final Duration MAX_ACK_TIMEOUT = Duration.ofMinutes(5);

    private final RedisLink link;
    private final String uid;
    private final Channels channels;
    private final Duration requestTimeout;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();
    private final RecoveryLog recovery;
    private final int maxLogged;

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
     * An adapter for {@code namespace}, subscribed at once.
     *
     * @param prefix         the channels' prefix ("socket.io" as in the npm adapter)
     * @param requestTimeout how long {@code fetchSockets} waits for the other nodes
     */
    public RedisAdapter(LocalNamespace namespace, RedisLink link, String prefix, Duration requestTimeout, int maxLogged) {
        super(namespace, maxLogged);
        this.link = link;
        this.uid = newId(6);
        this.channels = Channels.of(prefix, namespace.name(), uid);
        this.requestTimeout = requestTimeout;
        this.maxLogged = maxLogged;
        this.recovery = new RecoveryLog(link, prefix, namespace.name(), maxLogged, namespace::recoveryWindow);
        link.addSubscriber(this);
        link.subscribe(List.of(channels.request(), channels.response(), channels.specificResponse()),
                List.of(channels.broadcastPattern()));
    }

    /** This node's id on the wire. */
    public String uid() {
        return uid;
    }

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
        link.publish(channels.broadcastChannel(options.rooms()),
                Wire.broadcast(uid, namespace().name(), packet.data(), options, offset));
        if (offset != null) {
            link.append(recovery.stream(), Map.of(
                    RecoveryLog.OFFSET, offset.getBytes(StandardCharsets.UTF_8),
                    RecoveryLog.SELECTION, Wire.json(Wire.selection(options)),
                    RecoveryLog.DATA, MsgPack.encode(packet.withOffset(offset).data())), maxLogged);
        }
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

    /**
     * Sends to the selected sockets of every node, each node reporting how many sockets it sent to
     * (BROADCAST_CLIENT_COUNT) and every answer (BROADCAST_ACK, the answer's first value, as socket.io
     * keeps it). The count fails with a timeout when a node does not report within {@code timeout};
     * without Redis, this node's count.
     */
    @Override
    public CompletableFuture<Integer> broadcastWithAck(BroadcastPacket packet, BroadcastOptions options, Duration timeout,
                                                       Consumer<ArrayNode> reply) {
        if (options.local()) {
            return super.broadcastWithAck(packet, options, timeout, reply);
        }
        return link.subscribers(channels.request()).handle((nodes, error) -> {
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
                link.publish(channels.request(),
                        Wire.broadcastWithAck(uid, requestId, namespace().name(), packet.data(), options, timeout));
                return request.counted.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            });
        }).thenCompose(future -> future);
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        publishSockets(Wire.REMOTE_JOIN, options, rooms, false);
        super.addSockets(options, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        publishSockets(Wire.REMOTE_LEAVE, options, rooms, false);
        super.delSockets(options, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        publishSockets(Wire.REMOTE_DISCONNECT, options, Set.of(), close);
        super.disconnectSockets(options, close);
    }

    private void publishSockets(int type, BroadcastOptions options, Set<String> rooms, boolean close) {
        if (!options.local()) {
            link.publish(channels.request(), Wire.json(Wire.socketsRequest(uid, type, options, rooms, close)));
        }
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
        return link.subscribers(channels.request()).handle((nodes, error) -> {
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
            ObjectNode message = Wire.request(uid, requestId, Wire.REMOTE_FETCH);
            message.set("opts", Wire.selection(options));
            link.publish(channels.request(), Wire.json(message));
            return request.done.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((sockets, failure) -> pending.remove(requestId));
        }).thenCompose(future -> future);
    }

    @Override
    public void onMessage(String channel, byte[] message) {
        try {
            if (channel.equals(channels.request())) {
                onRequest(Wire.object(message));
            } else if (channel.equals(channels.response()) || channel.equals(channels.specificResponse())) {
                onResponse(Wire.object(message));
            } else if (channels.roomOf(channel) != null) {
                onBroadcast(Wire.broadcast(message));
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("ignored a malformed message on {}: {}", channel, e.getMessage());
        }
    }

    private void onBroadcast(Wire.Broadcast broadcast) {
        if (uid.equals(broadcast.uid()) || !namespace().name().equals(broadcast.nsp())) {
            return;
        }
        broadcastLogged(new BroadcastPacket(broadcast.nsp(), broadcast.data()), broadcast.options(), broadcast.offset());
    }

    private void onRequest(JsonNode request) {
        if (uid.equals(request.path("uid").asText())) {
            return;
        }
        String requestId = request.path("requestId").asText(null);
        switch (request.path("type").asInt(-1)) {
            case Wire.SOCKETS -> {
                ObjectNode response = response(requestId);
                ArrayNode ids = response.putArray("sockets");
                sockets(Wire.strings(request.get("rooms"))).forEach(ids::add);
                respond(response);
            }
            case Wire.ALL_ROOMS -> {
                ObjectNode response = response(requestId);
                ArrayNode rooms = response.putArray("rooms");
                rooms().forEach(rooms::add);
                respond(response);
            }
            case Wire.REMOTE_JOIN -> {
                if (request.has("opts")) {
                    super.addSockets(Wire.selection(request.get("opts")), Wire.strings(request.get("rooms")));
                }
            }
            case Wire.REMOTE_LEAVE -> {
                if (request.has("opts")) {
                    super.delSockets(Wire.selection(request.get("opts")), Wire.strings(request.get("rooms")));
                }
            }
            case Wire.REMOTE_DISCONNECT -> {
                if (request.has("opts")) {
                    super.disconnectSockets(Wire.selection(request.get("opts")), request.path("close").asBoolean(false));
                }
            }
            case Wire.REMOTE_FETCH -> {
                ObjectNode response = response(requestId);
                ArrayNode sockets = response.putArray("sockets");
                for (SocketInfo info : super.fetchSockets(Wire.selection(request.path("opts"))).join()) {
                    ObjectNode socket = sockets.addObject();
                    socket.put("id", info.id());
                    socket.set("handshake", info.handshake());
                    ArrayNode rooms = socket.putArray("rooms");
                    info.rooms().forEach(rooms::add);
                    socket.set("data", info.data());
                }
                respond(response);
            }
            case Wire.BROADCAST -> onBroadcastWithAck(requestId, request);
            default -> {
                // SERVER_SIDE_EMIT and unknown types: no server-side handlers in ws.events
            }
        }
    }

    private void onBroadcastWithAck(String requestId, JsonNode request) {
        ArrayNode data = Wire.eventData(request.path("packet"));
        JsonNode opts = request.path("opts");
        long millis = opts.path("flags").path("timeout").asLong(requestTimeout.toMillis());
        Duration timeout = Duration.ofMillis(Math.clamp(millis, 1, MAX_ACK_TIMEOUT.toMillis()));
        super.broadcastWithAck(new BroadcastPacket(namespace().name(), data), Wire.selection(opts), timeout, answer -> {
            ObjectNode response = response(requestId);
            response.put("type", Wire.BROADCAST_ACK);
            response.set("packet", answer.isEmpty() ? nodes().nullNode() : answer.get(0));
            link.publish(channels.response(), MsgPack.encode(response));
        }).thenAccept(count -> {
            ObjectNode response = response(requestId);
            response.put("type", Wire.BROADCAST_CLIENT_COUNT);
            response.put("clientCount", count);
            respond(response);
        });
    }

    private void onResponse(JsonNode response) {
        AckRequest ackRequest = ackRequests.get(response.path("requestId").asText(""));
        if (ackRequest != null) {
            switch (response.path("type").asInt(-1)) {
                case Wire.BROADCAST_CLIENT_COUNT -> ackRequest.add(response.path("clientCount").asInt(0));
                case Wire.BROADCAST_ACK -> ackRequest.reply.accept(nodes().arrayNode().add(response.path("packet")));
                default -> {
                }
            }
            return;
        }
        Pending request = pending.get(response.path("requestId").asText(""));
        if (request == null || !response.path("sockets").isArray()) {
            return;
        }
        List<SocketInfo> sockets = new ArrayList<>();
        for (JsonNode socket : response.get("sockets")) {
            if (socket.path("id").isTextual()) {
                sockets.add(new SocketInfo(socket.get("id").textValue(), Wire.strings(socket.get("rooms")),
                        socket.path("data").isMissingNode() ? nodes().nullNode() : socket.get("data"),
                        socket.path("handshake").isMissingNode() ? nodes().objectNode() : socket.get("handshake")));
            }
        }
        request.add(sockets);
    }

    private static ObjectNode response(String requestId) {
        ObjectNode response = nodes().objectNode();
        response.put("requestId", requestId);
        return response;
    }

    private void respond(ObjectNode response) {
        link.publish(channels.response(), Wire.json(response));
    }

    private static String newId(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    @Override
    public void close() {
        link.removeSubscriber(this);
        link.unsubscribe(List.of(channels.request(), channels.response(), channels.specificResponse()),
                List.of(channels.broadcastPattern()));
        IllegalStateException closed = new IllegalStateException("the adapter of " + namespace().name() + " is closed");
        pending.values().forEach(request -> request.done.completeExceptionally(closed));
        ackRequests.values().forEach(request -> request.counted.completeExceptionally(closed));
        super.close();
    }
}
