package ws.events.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO v5 packet to wire text (socket.io-protocol, "Packet encoding"):
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]}, the namespace only when it
 * is not {@code /}. Binary nodes anywhere in the payload become {@code {"_placeholder":true,"num":n}}
 * and attachments, in document order, and the type its binary variant. Stateless and thread-safe.
 */
public final class SocketPacketEncoder {

    private SocketPacketEncoder() {
    }

    /** Encodes a packet; its tree is not changed (binary is replaced in a copy). */
    public static EncodedPacket encode(SocketPacket packet) {
        JsonNode data = packet.data();
        List<byte[]> attachments = new ArrayList<>();
        PacketType type = packet.type();
        if (data != null && hasBinary(data)) {
            data = withPlaceholders(data, attachments);
            type = switch (type) {
                case EVENT, BINARY_EVENT -> PacketType.BINARY_EVENT;
                case ACK, BINARY_ACK -> PacketType.BINARY_ACK;
                default -> throw new IllegalArgumentException(type + " cannot carry binary data");
            };
        } else if (type.isBinary()) {
            type = type == PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
        }
        StringBuilder text = new StringBuilder().append(type.digit());
        if (type.isBinary()) {
            text.append(attachments.size()).append('-');
        }
        if (!SocketPacket.MAIN_NAMESPACE.equals(packet.namespace())) {
            text.append(packet.namespace()).append(',');
        }
        if (packet.hasAckId()) {
            text.append(packet.ackId());
        }
        if (data != null) {
            text.append(WireJson.write(data));
        }
        return new EncodedPacket(text.toString(), attachments);
    }

    /** Whether the tree holds a binary node anywhere. */
    public static boolean hasBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (hasBinary(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode withPlaceholders(JsonNode node, List<byte[]> attachments) {
        if (node instanceof BinaryNode binary) {
            ObjectNode placeholder = WireJson.NODES.objectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", attachments.size());
            attachments.add(binary.binaryValue());
            return placeholder;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = WireJson.NODES.arrayNode(array.size());
            for (JsonNode child : array) {
                copy.add(withPlaceholders(child, attachments));
            }
            return copy;
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = WireJson.NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(field.getKey(), withPlaceholders(field.getValue(), attachments));
            }
            return copy;
        }
        return node;
    }
}
