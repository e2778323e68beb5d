package ws.events.internal.engine;

import java.nio.ByteBuffer;
import java.util.List;
import ws.events.internal.wire.EncodedPacket;
import ws.events.internal.wire.EngineCodec;
import ws.events.internal.wire.EnginePacket;
import ws.protocol.PreparedMessage;

/**
 * Engine.IO packets on their way to one session or many (a broadcast): their WebSocket messages are
 * encoded once, on first use, and shared by every WebSocket session they go to (which then writes
 * the same frame bytes, unless it negotiated an extension). Thread-safe.
 */
public final class OutboundPackets {
    private final List<EnginePacket> packets;
    private final long size;
    private volatile PreparedMessage[] messages;

    /** These packets, in order. */
    public OutboundPackets(List<EnginePacket> packets) {
        this.packets = List.copyOf(packets);
        long bytes = 0;
        for (EnginePacket packet : this.packets) {
            bytes += packet.dataLength() + 1;
        }
        this.size = bytes;
    }

    /** A Socket.IO packet's messages: its text, then its attachments. */
    public static OutboundPackets of(EncodedPacket encoded) {
        return new OutboundPackets(encoded.enginePackets());
    }

    /** The packets. */
    public List<EnginePacket> packets() {
        return packets;
    }

    /** About how many bytes they take on the wire (the data plus a type byte each). */
    public long size() {
        return size;
    }

    /** One WebSocket message per packet, encoded on first use. */
    PreparedMessage[] webSocketMessages() {
        PreparedMessage[] encoded = messages;
        if (encoded == null) {
            encoded = new PreparedMessage[packets.size()];
            for (int i = 0; i < encoded.length; i++) {
                EnginePacket packet = packets.get(i);
                encoded[i] = packet.isBinary()
                        ? PreparedMessage.binary(ByteBuffer.wrap(packet.binary()))
                        : PreparedMessage.text(EngineCodec.encodeText(packet));
            }
            messages = encoded;
        }
        return encoded;
    }
}
