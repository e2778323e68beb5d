package ws.events.spi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/**
 * An event on its way to many sockets: {@code [name, args...]} as a JSON tree, binary data as
 * Jackson {@code BinaryNode}s anywhere in it (the form a cluster adapter serializes, e.g. to
 * MessagePack for @socket.io/redis-adapter, whose packets are {@code {type, data, nsp}}).
 *
 * @param namespace the namespace's name
 * @param data      the event name, then its arguments; do not change it once broadcast
 */
public record BroadcastPacket(String namespace, ArrayNode data) {
    /** Checks the components. */
    public BroadcastPacket {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(data, "data");
        if (data.isEmpty() || !data.get(0).isTextual()) {
            throw new IllegalArgumentException("an event's data starts with its name: " + data);
        }
    }

    /** The event name. */
    public String event() {
        return data.get(0).asText();
    }

    /** The same event with {@code offset} appended as its last argument (connection state recovery). */
    public BroadcastPacket withOffset(String offset) {
        ArrayNode copy = data.arrayNode(data.size() + 1);
        copy.addAll(data);
        copy.add(offset);
        return new BroadcastPacket(namespace, copy);
    }
}
