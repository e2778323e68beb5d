package ws.events.redis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.LocalNamespace;

/**
 * The protocol of @socket.io/redis-adapter (v8, its default mode): broadcasts on
 * {@code prefix#nsp#[room#]} (every node subscribed to the pattern), requests on the request channel
 * (JSON, MessagePack for broadcasts with acks), answers on the shared response channel; the nodes
 * are counted with {@code PUBSUB NUMSUB} on the request channel.
 */
public final class PubSubAdapter extends RedisAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubAdapter.class);
    private final Channels channels;

    /** An adapter for {@code namespace}, subscribed at once. */
    public PubSubAdapter(LocalNamespace namespace, RedisLink link, String prefix, Duration requestTimeout, int maxLogged) {
        super(namespace, link, prefix, requestTimeout, maxLogged);
        this.channels = Channels.of(prefix, namespace.name(), uid);
        link.addSubscriber(this);
        link.subscribe(channelList(), List.of(channels.broadcastPattern()));
    }

    private List<String> channelList() {
        return List.of(channels.request(), channels.response(), channels.specificResponse());
    }

    @Override
    protected void publishBroadcast(JsonNode data, BroadcastOptions options, String offset) {
        link.publish(channels.broadcastChannel(options.rooms()), Wire.broadcast(uid, namespace().name(), data, options, offset));
    }

    @Override
    protected void publishBroadcastWithAck(String requestId, ArrayNode data, BroadcastOptions options, Duration timeout) {
        link.publish(channels.request(), Wire.broadcastWithAck(uid, requestId, namespace().name(), data, options, timeout));
    }

    @Override
    protected void publishSockets(SocketsOp op, BroadcastOptions options, Set<String> rooms, boolean close) {
        int type = switch (op) {
            case JOIN -> Wire.REMOTE_JOIN;
            case LEAVE -> Wire.REMOTE_LEAVE;
            case DISCONNECT -> Wire.REMOTE_DISCONNECT;
        };
        link.publish(channels.request(), Wire.json(Wire.socketsRequest(uid, type, options, rooms, close)));
    }

    @Override
    protected void publishFetch(String requestId, BroadcastOptions options) {
        ObjectNode message = Wire.request(uid, requestId, Wire.REMOTE_FETCH);
        message.set("opts", Wire.selection(options));
        link.publish(channels.request(), Wire.json(message));
    }

    @Override
    protected void respondFetch(String requester, String requestId, ArrayNode sockets) {
        ObjectNode response = response(requestId);
        response.set("sockets", sockets);
        link.publish(channels.response(), Wire.json(response));
    }

    @Override
    protected void respondClientCount(String requester, String requestId, int count) {
        ObjectNode response = response(requestId);
        response.put("type", Wire.BROADCAST_CLIENT_COUNT);
        response.put("clientCount", count);
        link.publish(channels.response(), Wire.json(response));
    }

    @Override
    protected void respondAck(String requester, String requestId, JsonNode answer) {
        ObjectNode response = response(requestId);
        response.put("type", Wire.BROADCAST_ACK);
        response.set("packet", answer);
        link.publish(channels.response(), MsgPack.encode(response));
    }

    @Override
    protected CompletableFuture<Long> countNodes() {
        return link.subscribers(channels.request());
    }

    @Override
    public void onMessage(String channel, byte[] message) {
        if (uid.equals(MsgPack.senderUid(message))) {
            return; // our own broadcast (every node gets the pattern's messages): not decoded
        }
        try {
            if (channel.equals(channels.request())) {
                onRequest(Wire.object(message));
            } else if (channel.equals(channels.response()) || channel.equals(channels.specificResponse())) {
                onResponse(Wire.object(message));
            } else if (channels.roomOf(channel) != null) {
                Wire.Broadcast broadcast = Wire.broadcast(message);
                onRemoteBroadcast(broadcast.uid(), broadcast.nsp(), broadcast.data(), broadcast.options(), broadcast.offset());
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("ignored a malformed message on {}: {}", channel, e.getMessage());
        }
    }

    private void onRequest(JsonNode request) {
        String requester = request.path("uid").asText();
        if (uid.equals(requester)) {
            return;
        }
        String requestId = request.path("requestId").asText(null);
        JsonNode opts = request.path("opts");
        switch (request.path("type").asInt(-1)) {
            case Wire.SOCKETS -> {
                ObjectNode response = response(requestId);
                ArrayNode ids = response.putArray("sockets");
                sockets(Wire.strings(request.get("rooms"))).forEach(ids::add);
                link.publish(channels.response(), Wire.json(response));
            }
            case Wire.ALL_ROOMS -> {
                ObjectNode response = response(requestId);
                ArrayNode rooms = response.putArray("rooms");
                rooms().forEach(rooms::add);
                link.publish(channels.response(), Wire.json(response));
            }
            case Wire.REMOTE_JOIN -> socketsRequest(SocketsOp.JOIN, request);
            case Wire.REMOTE_LEAVE -> socketsRequest(SocketsOp.LEAVE, request);
            case Wire.REMOTE_DISCONNECT -> socketsRequest(SocketsOp.DISCONNECT, request);
            case Wire.REMOTE_FETCH -> onRemoteFetch(requester, requestId, Wire.selection(opts));
            case Wire.BROADCAST -> onRemoteBroadcastWithAck(requester, requestId, Wire.eventData(request.path("packet")), opts);
            default -> {
                // SERVER_SIDE_EMIT and unknown types: no server-side handlers in ws.events
            }
        }
    }

    private void socketsRequest(SocketsOp op, JsonNode request) {
        if (request.has("opts")) {
            onRemoteSockets(op, Wire.selection(request.get("opts")), Wire.strings(request.get("rooms")),
                    request.path("close").asBoolean(false));
        }
    }

    private void onResponse(JsonNode response) {
        String requestId = response.path("requestId").asText("");
        if (awaitsAcks(requestId)) {
            switch (response.path("type").asInt(-1)) {
                case Wire.BROADCAST_CLIENT_COUNT -> onClientCount(requestId, response.path("clientCount").asInt(0));
                case Wire.BROADCAST_ACK -> onAck(requestId, response.path("packet"));
                default -> {
                }
            }
            return;
        }
        onFetchResponse(requestId, response.get("sockets"));
    }

    private static ObjectNode response(String requestId) {
        ObjectNode response = nodes().objectNode();
        response.put("requestId", requestId);
        return response;
    }

    @Override
    public void close() {
        link.unsubscribe(channelList(), List.of(channels.broadcastPattern()));
        super.close();
    }
}
