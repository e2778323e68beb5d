package ws.events.internal.wire;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Engine.IO v4 packet encoding (engine.io-protocol, "Packet encoding").
 *
 * <p>Over WebSocket, one packet per frame: a text frame is the type digit followed by the data
 * ({@code 4hello}); a binary frame is a binary message's bytes, with no type. Over HTTP
 * long-polling, a payload is packets separated by the record separator {@code \u001e}, where a
 * binary message is {@code b} followed by its Base64. Stateless and thread-safe.
 */
public final class EngineCodec {
    /** Separates the packets of a long-polling payload. */
    public static final char RECORD_SEPARATOR = '\u001e';
    private static final char BINARY_MARK = 'b';

    private EngineCodec() {
    }

    /**
     * The text frame of a packet over WebSocket.
     *
     * @throws IllegalArgumentException for a binary message, which goes as a binary frame of its bytes
     */
    public static String encodeText(EnginePacket packet) {
        if (packet.isBinary()) {
            throw new IllegalArgumentException("a binary message is sent as a binary frame, not text");
        }
        return packet.text() == null ? String.valueOf(packet.type().digit()) : packet.type().digit() + packet.text();
    }

    /** A WebSocket text frame as a packet. */
    public static EnginePacket decodeText(CharSequence frame) {
        if (frame.isEmpty()) {
            throw new WireFormatException("empty Engine.IO packet");
        }
        EnginePacketType type = EnginePacketType.ofDigit(frame.charAt(0));
        String data = frame.length() > 1 ? frame.subSequence(1, frame.length()).toString()
                : type == EnginePacketType.MESSAGE ? "" : null;
        return new EnginePacket(type, data, null);
    }

    /** A WebSocket binary frame as a packet: always a binary message. */
    public static EnginePacket decodeBinary(byte[] frame) {
        return EnginePacket.message(frame);
    }

    /** Encodes packets as one long-polling payload. */
    public static String encodePayload(List<EnginePacket> packets) {
        StringBuilder out = new StringBuilder();
        for (EnginePacket packet : packets) {
            if (!out.isEmpty()) {
                out.append(RECORD_SEPARATOR);
            }
            if (packet.isBinary()) {
                out.append(BINARY_MARK).append(Base64.getEncoder().encodeToString(packet.binary()));
            } else {
                out.append(packet.type().digit());
                if (packet.text() != null) {
                    out.append(packet.text());
                }
            }
        }
        return out.toString();
    }

    /**
     * Decodes a long-polling payload.
     *
     * @param maxPackets at most this many packets are accepted
     * @throws WireFormatException for an empty packet, a bad type, bad Base64 or too many packets
     */
    public static List<EnginePacket> decodePayload(String payload, int maxPackets) {
        List<EnginePacket> packets = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = payload.indexOf(RECORD_SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            if (packets.size() == maxPackets) {
                throw new WireFormatException("a payload holds at most " + maxPackets + " packets");
            }
            packets.add(decodePayloadPacket(payload, start, end));
            if (end == payload.length()) {
                return packets;
            }
            start = end + 1;
        }
    }

    private static EnginePacket decodePayloadPacket(String payload, int start, int end) {
        if (start == end) {
            throw new WireFormatException("empty Engine.IO packet in a payload at offset " + start);
        }
        if (payload.charAt(start) == BINARY_MARK) {
            try {
                return EnginePacket.message(Base64.getDecoder().decode(payload.substring(start + 1, end)));
            } catch (IllegalArgumentException e) {
                throw new WireFormatException("binary packet is not valid Base64: " + e.getMessage(), e);
            }
        }
        return decodeText(payload.subSequence(start, end));
    }
}
