package ws.events.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/**
 * One Socket.IO packet. Binary data sits in the tree as Jackson {@code BinaryNode}s, wherever it is:
 * the encoder turns them into placeholders and attachments, the decoder back.
 *
 * @param type      the packet type; {@link PacketType#EVENT} and {@link PacketType#ACK} are sent as
 *                  their binary variants when the data holds binary
 * @param namespace the namespace, {@code "/"} by default
 * @param ackId     the ack id, or {@link #NO_ACK}
 * @param data      the payload, or {@code null} when none
 */
public record SocketPacket(PacketType type, String namespace, long ackId, JsonNode data) {
    /** The ack id of a packet that has none. */
    public static final long NO_ACK = -1;
    /** The main namespace. */
    public static final String MAIN_NAMESPACE = "/";

    /** Checks the components. */
    public SocketPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        if (ackId < NO_ACK) {
            throw new IllegalArgumentException("ack id " + ackId + " is negative");
        }
    }

    /** An event: {@code [name, args...]}. */
    public static SocketPacket event(String namespace, ArrayNode nameAndArgs, long ackId) {
        return new SocketPacket(PacketType.EVENT, namespace, ackId, nameAndArgs);
    }

    /** The answer to an ack id. */
    public static SocketPacket ack(String namespace, long ackId, ArrayNode args) {
        return new SocketPacket(PacketType.ACK, namespace, ackId, args);
    }

    /** A CONNECT (a client's, with the auth object, or the server's answer with the sid). */
    public static SocketPacket connect(String namespace, JsonNode data) {
        return new SocketPacket(PacketType.CONNECT, namespace, NO_ACK, data);
    }

    /** A DISCONNECT. */
    public static SocketPacket disconnect(String namespace) {
        return new SocketPacket(PacketType.DISCONNECT, namespace, NO_ACK, null);
    }

    /** A CONNECT_ERROR with {@code {"message":...,"data":...}}. */
    public static SocketPacket connectError(String namespace, JsonNode error) {
        return new SocketPacket(PacketType.CONNECT_ERROR, namespace, NO_ACK, error);
    }

    /** Whether an ack is requested (events) or answered (acks). */
    public boolean hasAckId() {
        return ackId != NO_ACK;
    }

    /** The event name of an event packet. */
    public String eventName() {
        if (!type.isEvent()) {
            throw new IllegalStateException(type + " has no event name");
        }
        return data.get(0).asText();
    }
}
