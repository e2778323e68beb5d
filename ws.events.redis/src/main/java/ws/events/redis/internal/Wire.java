package ws.events.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import ws.events.spi.BroadcastOptions;

/**
 * The messages of @socket.io/redis-adapter (v8): a broadcast is the MessagePack array
 * {@code [uid, {type: 2, data, nsp}, {rooms, except, flags}]}; requests and responses are JSON
 * objects {@code {uid, requestId, type, ...}} (MessagePack when they carry a packet, told apart by
 * their first byte: JSON starts with '{').
 */
public final class Wire {
    /** Socket.IO's EVENT packet type. */
    static final int EVENT = 2;
    /** Socket.IO's BINARY_EVENT packet type (accepted from other nodes). */
    static final int BINARY_EVENT = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The request types of the adapter's request channel. */
    public static final int SOCKETS = 0;
    public static final int ALL_ROOMS = 1;
    public static final int REMOTE_JOIN = 2;
    public static final int REMOTE_LEAVE = 3;
    public static final int REMOTE_DISCONNECT = 4;
    public static final int REMOTE_FETCH = 5;
    public static final int SERVER_SIDE_EMIT = 6;
    public static final int BROADCAST = 7;
    public static final int BROADCAST_CLIENT_COUNT = 8;
    public static final int BROADCAST_ACK = 9;

    private Wire() {
    }

    /**
     * A broadcast received from another node.
     *
     * @param offset its recovery offset given by the node that sent it (a fourth element, which the
     *               npm adapter does not send and does not read), or null
     */
    public record Broadcast(String uid, String nsp, ArrayNode data, BroadcastOptions options, String offset) {
    }

    /**
     * Encodes a broadcast of {@code data} ({@code [event, args...]}, or its {@link MsgPack.EncodedArray#node()})
     * to the namespace {@code nsp},
     * with its recovery {@code offset} (when not null) as a fourth element.
     */
    public static byte[] broadcast(String uid, String nsp, JsonNode data, BroadcastOptions options, String offset) {
        ArrayNode message = JSON.createArrayNode();
        message.add(uid);
        message.add(packet(nsp, data));
        message.add(options(options, null));
        if (offset != null) {
            message.add(offset);
        }
        return MsgPack.encode(message);
    }

    /**
     * Encodes a broadcast expecting acknowledgements (a BROADCAST request, MessagePack):
     * {@code {uid, requestId, type: 7, packet, opts: {rooms, except, flags: {timeout}}}}.
     */
    public static byte[] broadcastWithAck(String uid, String requestId, String nsp, ArrayNode data, BroadcastOptions options,
                                          Duration timeout) {
        ObjectNode request = request(uid, requestId, BROADCAST);
        request.set("packet", packet(nsp, data));
        request.set("opts", options(options, timeout));
        return MsgPack.encode(request);
    }

    /** The event packet of a BROADCAST request, or an exception when it is not an event. */
    public static ArrayNode eventData(JsonNode packet) {
        int type = packet.path("type").asInt(-1);
        JsonNode data = packet.get("data");
        if (type != EVENT && type != BINARY_EVENT || data == null || !data.isArray() || data.isEmpty()
                || !data.get(0).isTextual()) {
            throw new IllegalArgumentException("a broadcast packet is an event: " + packet.path("type"));
        }
        return (ArrayNode) data;
    }

    /** {@code {type: 2, data, nsp}}. */
    static ObjectNode packet(String nsp, JsonNode data) {
        ObjectNode packet = JSON.createObjectNode();
        packet.put("type", EVENT);
        packet.set("data", data);
        packet.put("nsp", nsp);
        return packet;
    }

    /** {@code {rooms, except, flags: {volatile?, timeout?}}}. */
    static ObjectNode options(BroadcastOptions options, Duration timeout) {
        ObjectNode opts = selection(options);
        ObjectNode flags = opts.putObject("flags");
        if (options.dropIfBusy()) {
            flags.put("volatile", true);
        }
        if (timeout != null) {
            flags.put("timeout", timeout.toMillis());
        }
        return opts;
    }

    /**
     * Decodes a broadcast message.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static Broadcast broadcast(byte[] bytes) {
        JsonNode message = MsgPack.decode(bytes);
        if (!message.isArray() || message.size() < 3 || !message.get(1).isObject() || !message.get(2).isObject()) {
            throw new IllegalArgumentException("not a broadcast [uid, packet, opts]");
        }
        JsonNode packet = message.get(1);
        ArrayNode data = eventData(packet);
        String nsp = packet.path("nsp").isTextual() ? packet.get("nsp").textValue() : "/";
        BroadcastOptions options = broadcastOptions(message.get(2));
        String offset = message.size() > 3 && message.get(3).isTextual() ? message.get(3).textValue() : null;
        return new Broadcast(message.get(0).asText(), nsp, data, options, offset);
    }

    /** A new request object {@code {uid, requestId?, type}}. */
    public static ObjectNode request(String uid, String requestId, int type) {
        ObjectNode request = JSON.createObjectNode();
        request.put("uid", uid);
        if (requestId != null) {
            request.put("requestId", requestId);
        }
        request.put("type", type);
        return request;
    }

    /** A request on sockets selected by {@code options}: join/leave {@code rooms}, or disconnect. */
    public static ObjectNode socketsRequest(String uid, int type, BroadcastOptions options, Set<String> rooms, boolean close) {
        ObjectNode request = request(uid, null, type);
        request.set("opts", selection(options));
        if (type == REMOTE_DISCONNECT) {
            request.put("close", close);
        } else {
            ArrayNode array = request.putArray("rooms");
            rooms.forEach(array::add);
        }
        return request;
    }

    /** {@code {rooms: [...], except: [...]}}. */
    public static ObjectNode selection(BroadcastOptions options) {
        ObjectNode opts = JSON.createObjectNode();
        ArrayNode rooms = opts.putArray("rooms");
        options.rooms().forEach(rooms::add);
        ArrayNode except = opts.putArray("except");
        options.except().forEach(except::add);
        return opts;
    }

    /** The options of a received broadcast's {@code opts}, its volatile flag included (this node only). */
    public static BroadcastOptions broadcastOptions(JsonNode opts) {
        return new BroadcastOptions(strings(opts.get("rooms")), strings(opts.get("except")),
                opts.path("flags").path("volatile").asBoolean(false), true);
    }

    /** The selection of a request's {@code opts} (this node only: it came from another). */
    public static BroadcastOptions selection(JsonNode opts) {
        return new BroadcastOptions(strings(opts.get("rooms")), strings(opts.get("except")), false, true);
    }

    /** A JSON object as bytes. */
    public static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decodes a request or response: JSON when it starts with '{', MessagePack otherwise.
     *
     * @throws IllegalArgumentException when it is neither, or not an object
     */
    public static JsonNode object(byte[] bytes) {
        JsonNode node;
        if (bytes.length > 0 && bytes[0] == '{') {
            try {
                node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
            }
        } else {
            node = MsgPack.decode(bytes);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a request or response is an object");
        }
        return node;
    }

    /** The mapper that reads and writes the JSON messages. */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /** The strings of a JSON array (none when absent). */
    public static Set<String> strings(JsonNode array) {
        Set<String> strings = new LinkedHashSet<>();
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                strings.add(element.asText());
            }
        }
        return strings;
    }
}
