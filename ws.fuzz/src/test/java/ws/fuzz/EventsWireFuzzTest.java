package ws.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import ws.events.internal.wire.EncodedPacket;
import ws.events.internal.wire.EngineCodec;
import ws.events.internal.wire.EnginePacket;
import ws.events.internal.wire.PacketType;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.SocketPacketDecoder;
import ws.events.internal.wire.SocketPacketEncoder;
import ws.events.internal.wire.WireFormatException;
import ws.events.internal.wire.WireLimits;

/**
 * The decoders of ws.events' wire: the Engine.IO packet (a WebSocket text frame), the long-polling
 * payload (packets separated by {@code \u001e}, binary as {@code b}+Base64), and the Socket.IO packet
 * with its binary attachments. Each gets what a peer sends (bytes, decoded as UTF-8 as the server
 * decodes a text frame or an HTTP body) and must throw nothing but {@link WireFormatException}; what
 * it accepts must be well formed (the type's payload rules, the limits, no placeholder left in a
 * binary packet) and must come back equal from its own encoder and the decoder again, so that a packet
 * the server relays (a broadcast, the Redis adapter) is one every peer can read.
 */
class EventsWireFuzzTest {
    /** Small, so that the fuzzer reaches them: 4 KB a packet, nesting 8, 3 attachments. */
    static final WireLimits LIMITS = new WireLimits(4096, 8, 3);

    /** An Engine.IO packet in a WebSocket text frame: {@code <type digit><data>}. */
    @FuzzTest
    void enginePacket(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        EnginePacket packet;
        try {
            packet = EngineCodec.decodeText(text);
        } catch (WireFormatException refused) {
            check(text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6',
                    "refused a packet with a valid type: " + refused.getMessage());
            return;
        }
        check(!text.isEmpty() && packet.type().digit() == text.charAt(0), "type " + packet.type() + " from " + text);
        check(!packet.isBinary(), "a text frame gave binary");
        check(EngineCodec.encodeText(packet).equals(text), "re-encoded differently: " + packet);
    }

    /** A long-polling payload: byte 0 is the packet limit (1-16), the rest the HTTP body. */
    @FuzzTest
    void pollingPayload(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int maxPackets = 1 + (data[0] & 0x0F);
        String body = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        List<EnginePacket> packets;
        try {
            packets = EngineCodec.decodePayload(body, maxPackets);
        } catch (WireFormatException refused) {
            return;
        }
        check(!packets.isEmpty() && packets.size() <= maxPackets, packets.size() + " packets, limit " + maxPackets);
        String[] records = body.split(String.valueOf(EngineCodec.RECORD_SEPARATOR), -1);
        check(records.length == packets.size(), records.length + " records gave " + packets.size() + " packets");
        for (int i = 0; i < records.length; i++) {
            EnginePacket packet = packets.get(i);
            if (packet.isBinary()) {
                check(records[i].startsWith("b"), "binary from a record without 'b': " + records[i]);
                byte[] again = Base64.getDecoder().decode(Base64.getEncoder().encodeToString(packet.binary()));
                check(java.util.Arrays.equals(again, packet.binary()), "binary does not survive Base64");
            } else {
                check(EngineCodec.encodeText(packet).equals(records[i]), "record " + i + " re-encoded differently");
            }
        }
        List<EnginePacket> again = EngineCodec.decodePayload(EngineCodec.encodePayload(packets), maxPackets);
        check(again.equals(packets), "the re-encoded payload decodes differently: " + again + " vs " + packets);
    }

    /**
     * Socket.IO messages to one decoder, as a connection receives them: records of a kind byte (bit 0:
     * binary), a length (2 bytes, big-endian) and the message (text as UTF-8), up to 8.
     */
    @FuzzTest
    void socketPacket(byte[] data) {
        SocketPacketDecoder decoder = new SocketPacketDecoder(LIMITS);
        ByteBuffer in = ByteBuffer.wrap(data);
        for (int n = 0; n < 8 && in.remaining() >= 3; n++) {
            boolean binary = (in.get() & 1) == 1;
            int length = Math.min(in.getShort() & 0xFFFF, in.remaining());
            byte[] message = new byte[length];
            in.get(message);
            boolean waiting = decoder.awaitingAttachments();
            SocketPacket packet;
            try {
                packet = binary ? decoder.decodeBinary(message)
                        : decoder.decodeText(new String(message, StandardCharsets.UTF_8));
            } catch (WireFormatException refused) {
                check(!decoder.awaitingAttachments(), "a refused message left a packet waiting");
                // the decoder is usable again: the connection is closed on a parse error, but a decoder
                // left half-way would decode the next session's packets wrongly if it were reused
                SocketPacket ok = decoder.decodeText("2[\"ok\"]");
                check(ok != null && ok.eventName().equals("ok"), "the decoder is broken after " + refused.getMessage());
                continue;
            }
            if (binary) {
                check(waiting, "an attachment was taken with no binary packet announced");
            } else {
                check(!waiting, "a text message was taken while attachments were due");
            }
            if (packet != null) {
                checkPacket(packet);
            }
        }
    }

    private static void checkPacket(SocketPacket packet) {
        check(packet.namespace().startsWith("/"), "namespace " + packet.namespace());
        check(packet.ackId() >= SocketPacket.NO_ACK && packet.ackId() <= SocketPacketDecoder.MAX_ACK_ID,
                "ack id " + packet.ackId());
        JsonNode data = packet.data();
        if (data != null) {
            check(depth(data) <= LIMITS.maxNestingDepth(), "nesting " + depth(data) + " > " + LIMITS.maxNestingDepth());
        }
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> {
                check(data != null && data.isArray() && !data.isEmpty(), "an event without [name, ...]");
                JsonNode name = data.get(0);
                check(name.isNumber() || name.isTextual() && !SocketPacketDecoder.RESERVED_EVENTS.contains(name.asText()),
                        "event name " + name);
            }
            case ACK, BINARY_ACK -> check(data != null && data.isArray(), "an ack without an array");
            case CONNECT -> check(data == null || data.isObject(), "connect data " + data);
            case DISCONNECT -> check(data == null, "disconnect data " + data);
            case CONNECT_ERROR -> check(data != null && (data.isTextual() || data.isObject()), "connect_error " + data);
        }
        if (packet.type().isBinary()) {
            check(!hasPlaceholder(data), "a placeholder is left in " + data);
        }
        // what the server relays must read back the same
        EncodedPacket encoded = SocketPacketEncoder.encode(packet);
        check(encoded.attachments().size() <= countBinary(data), "more attachments than binary nodes");
        SocketPacketDecoder again = new SocketPacketDecoder(new WireLimits(Integer.MAX_VALUE, LIMITS.maxNestingDepth(),
                Integer.MAX_VALUE));
        SocketPacket back;
        try {
            back = again.decodeText(encoded.text());
            for (byte[] attachment : encoded.attachments()) {
                check(back == null, "complete before its attachments");
                back = again.decodeBinary(attachment);
            }
        } catch (WireFormatException e) {
            throw new AssertionError("a decoded packet, encoded again, is refused: " + e.getMessage() + "; packet "
                    + packet + ", text " + encoded.text(), e);
        }
        check(back != null, "incomplete after its attachments");
        PacketType expected = sameKind(packet.type(), !encoded.attachments().isEmpty());
        check(back.type() == expected && back.namespace().equals(packet.namespace()) && back.ackId() == packet.ackId()
                && java.util.Objects.equals(back.data(), packet.data()),
                "round trip changed the packet: " + packet + " -> " + encoded.text() + " -> " + back);
    }

    /** A binary type without binary data goes as the plain type, and the other way round. */
    private static PacketType sameKind(PacketType type, boolean hasBinary) {
        return switch (type) {
            case EVENT, BINARY_EVENT -> hasBinary ? PacketType.BINARY_EVENT : PacketType.EVENT;
            case ACK, BINARY_ACK -> hasBinary ? PacketType.BINARY_ACK : PacketType.ACK;
            default -> type;
        };
    }

    private static int depth(JsonNode node) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return deepest + 1;
    }

    private static boolean hasPlaceholder(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isObject()) {
            JsonNode marker = node.get("_placeholder");
            if (marker != null && marker.isBoolean() && marker.booleanValue()) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (hasPlaceholder(child)) {
                return true;
            }
        }
        return false;
    }

    private static int countBinary(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isBinary()) {
            return 1;
        }
        int count = 0;
        for (JsonNode child : node) {
            count += countBinary(child);
        }
        return count;
    }

    /** Seeds for {@link #socketPacket}: one record per message. */
    static byte[] records(Object... messages) {
        List<byte[]> parts = new ArrayList<>();
        int size = 0;
        for (Object message : messages) {
            boolean binary = message instanceof byte[];
            byte[] body = binary ? (byte[]) message : ((String) message).getBytes(StandardCharsets.UTF_8);
            byte[] record = ByteBuffer.allocate(3 + body.length).put((byte) (binary ? 1 : 0)).putShort((short) body.length)
                    .put(body).array();
            parts.add(record);
            size += record.length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return all.array();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
