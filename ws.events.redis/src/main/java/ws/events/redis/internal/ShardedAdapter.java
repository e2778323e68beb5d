package ws.events.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.LocalNamespace;

/**
 * The sharded mode of @socket.io/redis-adapter ({@code createShardedAdapter}, Redis 7's
 * {@code SPUBLISH}/{@code SSUBSCRIBE}), with its default "dynamic" subscriptions: the messages of
 * socket.io-adapter's ClusterAdapter ({@code {uid, nsp, type, data}}, MessagePack) on the
 * namespace's channel {@code prefix#nsp#}; a broadcast to exactly one public room (not a socket id)
 * goes on the room's own channel {@code prefix#nsp#room#}, to which a node subscribes while it has
 * members in the room, so a node only receives the rooms it serves; answers go to the requester's
 * channel {@code prefix#nsp#uid#}; the nodes are counted with {@code PUBSUB SHARDNUMSUB}.
 */
public final class ShardedAdapter extends RedisAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedAdapter.class);
    // socket.io-adapter's ClusterAdapter message types
    static final int BROADCAST = 3;
    static final int SOCKETS_JOIN = 4;
    static final int SOCKETS_LEAVE = 5;
    static final int DISCONNECT_SOCKETS = 6;
    static final int FETCH_SOCKETS = 7;
    static final int FETCH_SOCKETS_RESPONSE = 8;
    static final int BROADCAST_CLIENT_COUNT = 11;
    static final int BROADCAST_ACK = 12;
    /** The length of a socket.io socket id: a room of that length is not given a channel of its own. */
    private static final int SOCKET_ID_LENGTH = 20;

    private final String prefix;
    private final String channel;
    private final String responseChannel;
    /**
     * Held from a local room's membership check to the (un)subscribe sent for it, so a join and the
     * last leave of the same room cannot both decide on what they saw before the other's change (the
     * node unsubscribed from a room that has a member). The commands are sent, never waited for, under it.
     */
    private final ReentrantLock membership = new ReentrantLock();
    /** The channels of rooms whose subscription Redis has not confirmed yet. */
    private final Map<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();

    /** An adapter for {@code namespace}, subscribed at once. */
    public ShardedAdapter(LocalNamespace namespace, RedisLink link, String prefix, Duration requestTimeout, int maxLogged) {
        super(namespace, link, prefix, requestTimeout, maxLogged);
        this.prefix = prefix;
        this.channel = channel(prefix, namespace.name());
        this.responseChannel = channel + uid + "#";
        link.addSubscriber(this);
        link.subscribeSharded(List.of(channel, responseChannel), true);
    }

    private String roomChannel(String room) {
        return channel + room + "#";
    }

    /** A room other than a local socket's own: it gets a channel while it has local members. */
    private boolean isPublic(String room) {
        return socketRooms(room).isEmpty();
    }

    /**
     * Joins at once; the future completes when this node is subscribed to the channel of each of the
     * rooms: a room new to this node is registered as awaiting its subscription before its first
     * member is added, so a second member joining meanwhile waits for the same confirmation.
     */
    @Override
    public CompletableFuture<Void> addAll(String socketId, Set<String> rooms) {
        Map<String, CompletableFuture<Void>> created = new HashMap<>();
        List<CompletableFuture<Void>> waits = new ArrayList<>(); // this join's subscriptions and others' it joins
        CompletableFuture<Void> sent = null;
        membership.lock();
        try {
            for (String room : rooms) {
                String channel = roomChannel(room);
                CompletableFuture<Void> subscribed = unconfirmed.get(channel);
                if (!room.equals(socketId) && isPublic(room) && sockets(Set.of(room)).isEmpty()) {
                    subscribed = new CompletableFuture<>();
                    unconfirmed.put(channel, subscribed);
                    created.put(channel, subscribed);
                }
                if (subscribed != null) {
                    waits.add(subscribed);
                }
            }
            super.addAll(socketId, rooms);
            if (!created.isEmpty()) {
                sent = link.subscribeSharded(List.copyOf(created.keySet()), false); // sent now, not waited for
            }
        } finally {
            membership.unlock();
        }
        if (sent != null) {
            sent.whenComplete((done, error) -> created.forEach((channel, subscribed) -> {
                unconfirmed.remove(channel, subscribed);
                if (error == null) {
                    subscribed.complete(null);
                } else {
                    subscribed.completeExceptionally(error);
                }
            }));
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    @Override
    public void del(String socketId, String room) {
        membership.lock();
        try {
            super.del(socketId, room);
            if (!room.equals(socketId) && sockets(Set.of(room)).isEmpty()) {
                link.unsubscribeSharded(List.of(roomChannel(room)));
            }
        } finally {
            membership.unlock();
        }
    }

    @Override
    public void delAll(String socketId) {
        membership.lock();
        try {
            Set<String> rooms = socketRooms(socketId);
            super.delAll(socketId);
            List<String> deleted = new ArrayList<>();
            for (String room : rooms) {
                if (!room.equals(socketId) && sockets(Set.of(room)).isEmpty()) {
                    deleted.add(roomChannel(room));
                }
            }
            if (!deleted.isEmpty()) {
                link.unsubscribeSharded(deleted);
            }
        } finally {
            membership.unlock();
        }
    }

    private ObjectNode message(int type) {
        return message(uid, namespace().name(), type);
    }

    private static ObjectNode message(String uid, String nsp, int type) {
        ObjectNode message = nodes().objectNode();
        message.put("uid", uid);
        message.put("nsp", nsp);
        message.put("type", type);
        return message;
    }

    /** A broadcast message, with our recovery offset when not null (the npm adapter ignores it). */
    public static byte[] broadcast(String uid, String nsp, JsonNode data, BroadcastOptions options, String offset) {
        ObjectNode message = message(uid, nsp, BROADCAST);
        ObjectNode body = message.putObject("data");
        body.set("packet", Wire.packet(nsp, data));
        body.set("opts", Wire.options(options, null));
        if (offset != null) {
            body.put("offset", offset);
        }
        return MsgPack.encode(message);
    }

    /** The channel a broadcast to {@code rooms} goes on: a single public room's own, else the namespace's. */
    public static String broadcastChannel(String prefix, String nsp, Set<String> rooms) {
        String room = rooms.size() == 1 ? rooms.iterator().next() : null;
        return prefix + "#" + nsp + "#" + (room != null && room.length() != SOCKET_ID_LENGTH ? room + "#" : "");
    }

    /** The channel of the namespace's other messages. */
    public static String channel(String prefix, String nsp) {
        return prefix + "#" + nsp + "#";
    }

    /** A join, leave or disconnect message. */
    public static byte[] sockets(String uid, String nsp, SocketsOp op, BroadcastOptions options, Set<String> rooms,
                                 boolean close) {
        ObjectNode message = message(uid, nsp, switch (op) {
            case JOIN -> SOCKETS_JOIN;
            case LEAVE -> SOCKETS_LEAVE;
            case DISCONNECT -> DISCONNECT_SOCKETS;
        });
        ObjectNode body = message.putObject("data");
        body.set("opts", Wire.options(options, null));
        if (op == SocketsOp.DISCONNECT) {
            body.put("close", close);
        } else {
            ArrayNode array = body.putArray("rooms");
            rooms.forEach(array::add);
        }
        return MsgPack.encode(message);
    }

    @Override
    protected void publishBroadcast(JsonNode data, BroadcastOptions options, String offset) {
        link.publishSharded(broadcastChannel(prefix, namespace().name(), options.rooms()),
                broadcast(uid, namespace().name(), data, options, offset));
    }

    @Override
    protected void publishBroadcastWithAck(String requestId, ArrayNode data, BroadcastOptions options, Duration timeout) {
        ObjectNode message = message(BROADCAST);
        ObjectNode body = message.putObject("data");
        body.set("packet", Wire.packet(namespace().name(), data));
        body.put("requestId", requestId);
        body.set("opts", Wire.options(options, timeout));
        link.publishSharded(channel, MsgPack.encode(message));
    }

    @Override
    protected void publishSockets(SocketsOp op, BroadcastOptions options, Set<String> rooms, boolean close) {
        link.publishSharded(channel, sockets(uid, namespace().name(), op, options, rooms, close));
    }

    @Override
    protected void publishFetch(String requestId, BroadcastOptions options) {
        ObjectNode message = message(FETCH_SOCKETS);
        ObjectNode body = message.putObject("data");
        body.set("opts", Wire.options(options, null));
        body.put("requestId", requestId);
        link.publishSharded(channel, MsgPack.encode(message));
    }

    private void respond(String requester, ObjectNode response) {
        link.publishSharded(channel + requester + "#", MsgPack.encode(response));
    }

    @Override
    protected void respondFetch(String requester, String requestId, ArrayNode sockets) {
        ObjectNode response = message(FETCH_SOCKETS_RESPONSE);
        response.putObject("data").put("requestId", requestId).set("sockets", sockets);
        respond(requester, response);
    }

    @Override
    protected void respondClientCount(String requester, String requestId, int count) {
        ObjectNode response = message(BROADCAST_CLIENT_COUNT);
        response.putObject("data").put("requestId", requestId).put("clientCount", count);
        respond(requester, response);
    }

    @Override
    protected void respondAck(String requester, String requestId, JsonNode answer) {
        ObjectNode response = message(BROADCAST_ACK);
        response.putObject("data").put("requestId", requestId).set("packet", answer);
        respond(requester, response);
    }

    @Override
    protected CompletableFuture<Long> countNodes() {
        return link.shardSubscribers(channel);
    }

    @Override
    public void onMessage(String from, byte[] bytes) {
        if (!from.startsWith(channel) || uid.equals(MsgPack.senderUid(bytes))) {
            return; // another namespace's, or our own (read from the header, the rest not decoded)
        }
        try {
            JsonNode message = Wire.object(bytes);
            String sender = message.path("uid").asText("");
            if (uid.equals(sender) || !namespace().name().equals(message.path("nsp").asText())) {
                return;
            }
            JsonNode data = message.path("data");
            String requestId = data.path("requestId").asText(null);
            switch (message.path("type").asInt(-1)) {
                case BROADCAST -> {
                    ArrayNode event = Wire.eventData(data.path("packet"));
                    if (requestId != null) {
                        onRemoteBroadcastWithAck(sender, requestId, event, data.path("opts"));
                    } else {
                        onRemoteBroadcast(sender, namespace().name(), event, Wire.broadcastOptions(data.path("opts")),
                                data.path("offset").isTextual() ? data.get("offset").textValue() : null);
                    }
                }
                case SOCKETS_JOIN -> onRemoteSockets(SocketsOp.JOIN, Wire.selection(data.path("opts")),
                        Wire.strings(data.get("rooms")), false);
                case SOCKETS_LEAVE -> onRemoteSockets(SocketsOp.LEAVE, Wire.selection(data.path("opts")),
                        Wire.strings(data.get("rooms")), false);
                case DISCONNECT_SOCKETS -> onRemoteSockets(SocketsOp.DISCONNECT, Wire.selection(data.path("opts")),
                        Set.of(), data.path("close").asBoolean(false));
                case FETCH_SOCKETS -> onRemoteFetch(sender, requestId, Wire.selection(data.path("opts")));
                case FETCH_SOCKETS_RESPONSE -> onFetchResponse(requestId, data.get("sockets"));
                case BROADCAST_CLIENT_COUNT -> onClientCount(requestId, data.path("clientCount").asInt(0));
                case BROADCAST_ACK -> onAck(requestId, data.path("packet"));
                default -> {
                    // heartbeats, server-side emits, ADAPTER_CLOSE: nothing to do here
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("ignored a malformed message on {}: {}", from, e.getMessage());
        }
    }

    @Override
    public void close() {
        List<String> channels = new ArrayList<>(List.of(channel, responseChannel));
        for (String room : rooms()) {
            if (isPublic(room)) {
                channels.add(roomChannel(room));
            }
        }
        link.unsubscribeSharded(channels);
        super.close();
    }
}
