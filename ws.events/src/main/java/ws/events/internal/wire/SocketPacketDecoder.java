package ws.events.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Wire text (and binary attachments) to Socket.IO v5 packets, validated as socket.io-parser does,
 * within {@link WireLimits}. A binary packet's text announces its attachment count; the packet is
 * complete when that many binary messages followed, and a text message before then is an error.
 *
 * <p>Every violation throws {@link WireFormatException} and resets the decoder: the caller closes
 * the session ("parse error"). One decoder per connection; not thread-safe.
 */
public final class SocketPacketDecoder {
    /** The largest ack id: JavaScript's {@code Number.MAX_SAFE_INTEGER}, which every peer can hold. */
    public static final long MAX_ACK_ID = 9_007_199_254_740_991L;
    /** Event names a peer may not send: they name the built-in events of both sides. */
    public static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final WireLimits limits;
    private SocketPacket pending;
    private int expectedAttachments;
    private final List<byte[]> attachments = new ArrayList<>();

    /** A decoder enforcing {@code limits}. */
    public SocketPacketDecoder(WireLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Whether a binary packet is waiting for attachments. */
    public boolean awaitingAttachments() {
        return pending != null;
    }

    /** Forgets a partly received binary packet. */
    public void reset() {
        pending = null;
        expectedAttachments = 0;
        attachments.clear();
    }

    /**
     * Decodes a text message.
     *
     * @return the packet, or {@code null} when it is a binary packet still waiting for its attachments
     */
    public SocketPacket decodeText(String text) {
        if (pending != null) {
            reset();
            throw new WireFormatException("got a text packet while waiting for "
                    + (expectedAttachments - attachments.size()) + " binary attachment(s)");
        }
        try {
            return parse(text);
        } catch (WireFormatException e) {
            reset();
            throw e;
        }
    }

    /**
     * Adds a binary attachment to the waiting packet.
     *
     * @return the completed packet, or {@code null} while more attachments are due
     */
    public SocketPacket decodeBinary(byte[] attachment) {
        if (pending == null) {
            throw new WireFormatException("got a binary attachment while no binary packet was announced");
        }
        if (attachment.length > limits.maxPacketBytes()) {
            reset();
            throw new WireFormatException("attachment of " + attachment.length + " bytes > limit " + limits.maxPacketBytes());
        }
        attachments.add(attachment);
        if (attachments.size() < expectedAttachments) {
            return null;
        }
        SocketPacket packet = pending;
        try {
            return new SocketPacket(packet.type(), packet.namespace(), packet.ackId(),
                    withAttachments(packet.data(), attachments));
        } finally {
            reset();
        }
    }

    private SocketPacket parse(String text) {
        if (text.length() > limits.maxPacketBytes()) {
            throw new WireFormatException("packet of " + text.length() + " chars > limit " + limits.maxPacketBytes());
        }
        if (text.isEmpty()) {
            throw new WireFormatException("empty Socket.IO packet");
        }
        PacketType type = PacketType.ofDigit(text.charAt(0));
        int i = 1;
        int attachmentCount = 0;
        if (type.isBinary()) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 9 || !allDigits(text, i, dash)) {
                throw new WireFormatException(type + " must announce its attachments as <count>-: " + excerpt(text));
            }
            attachmentCount = Integer.parseInt(text, i, dash, 10);
            if (attachmentCount == 0) {
                // socket.io-parser refuses it too ("Illegal attachments"): its encoder sends a packet
                // without binary as EVENT or ACK, so a binary one with nothing attached is malformed
                throw new WireFormatException(type + " must announce at least one attachment: " + excerpt(text));
            }
            if (attachmentCount > limits.maxAttachments()) {
                throw new WireFormatException(attachmentCount + " attachments > limit " + limits.maxAttachments());
            }
            i = dash + 1;
        }
        String namespace = SocketPacket.MAIN_NAMESPACE;
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }
        long ackId = SocketPacket.NO_ACK;
        int digitsEnd = i;
        while (digitsEnd < text.length() && isDigit(text.charAt(digitsEnd))) {
            digitsEnd++;
        }
        if (digitsEnd > i) {
            if (digitsEnd - i > 16 || (ackId = Long.parseLong(text, i, digitsEnd, 10)) > MAX_ACK_ID) {
                throw new WireFormatException("ack id " + excerpt(text.substring(i, digitsEnd)) + " > " + MAX_ACK_ID);
            }
            i = digitsEnd;
        }
        JsonNode data = i < text.length() ? WireJson.read(text.substring(i), limits.maxNestingDepth()) : null;
        validate(type, data, text);
        SocketPacket packet = new SocketPacket(type, namespace, ackId, data);
        if (attachmentCount > 0) {
            pending = packet;
            expectedAttachments = attachmentCount;
            return null;
        }
        return packet;
    }

    private static void validate(PacketType type, JsonNode data, String text) {
        boolean valid = switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case CONNECT_ERROR -> data != null && (data.isTextual() || data.isObject());
            case EVENT, BINARY_EVENT -> data != null && data.isArray() && !data.isEmpty()
                    && (data.get(0).isNumber()
                        || data.get(0).isTextual() && !RESERVED_EVENTS.contains(data.get(0).asText()));
            case ACK, BINARY_ACK -> data != null && data.isArray();
        };
        if (!valid) {
            throw new WireFormatException("invalid payload for " + type + ": " + excerpt(text));
        }
    }

    private static JsonNode withAttachments(JsonNode node, List<byte[]> attachments) {
        if (node instanceof ObjectNode object) {
            JsonNode marker = object.get("_placeholder");
            if (marker != null && marker.isBoolean() && marker.booleanValue()) {
                JsonNode num = object.get("num");
                if (num == null || !num.canConvertToInt() || !num.isIntegralNumber()
                        || num.intValue() < 0 || num.intValue() >= attachments.size()) {
                    throw new WireFormatException("placeholder " + object + " names no attachment of "
                            + attachments.size());
                }
                return WireJson.NODES.binaryNode(attachments.get(num.intValue()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(withAttachments(field.getValue(), attachments));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withAttachments(array.get(i), attachments));
            }
        }
        return node;
    }

    private static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String excerpt(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
