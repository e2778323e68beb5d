package ws.events.internal.wire;

import java.util.List;

/**
 * A Socket.IO packet on the wire: one text message, then its binary attachments, each its own
 * Engine.IO binary message, in order.
 *
 * @param text        the packet's text
 * @param attachments the attachments (not copied: do not change them)
 */
public record EncodedPacket(String text, List<byte[]> attachments) {
    /** Checks the components. */
    public EncodedPacket {
        attachments = List.copyOf(attachments);
    }

    /** The Engine.IO messages that carry it, text first. */
    public List<EnginePacket> enginePackets() {
        if (attachments.isEmpty()) {
            return List.of(EnginePacket.message(text));
        }
        EnginePacket[] packets = new EnginePacket[attachments.size() + 1];
        packets[0] = EnginePacket.message(text);
        for (int i = 0; i < attachments.size(); i++) {
            packets[i + 1] = EnginePacket.message(attachments.get(i));
        }
        return List.of(packets);
    }
}
