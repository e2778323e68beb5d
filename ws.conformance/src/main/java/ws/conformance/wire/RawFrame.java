package ws.conformance.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One frame exactly as it was (or will be) on the wire.
 *
 * @param fin            the FIN bit
 * @param rsv            the three RSV bits as a number 0..7 (RSV1 = 4, RSV2 = 2, RSV3 = 1)
 * @param opcode         the 4-bit opcode, reserved ones included
 * @param maskKey        the 4-byte masking key, or {@code null} when the frame is not masked
 * @param payload        the unmasked payload
 * @param minimalLength  whether the payload length used the shortest encoding (RFC 6455 section 5.2)
 */
public record RawFrame(boolean fin, int rsv, int opcode, byte[] maskKey, byte[] payload, boolean minimalLength) {

    /** Opcodes of RFC 6455 section 5.2. */
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    public RawFrame {
        if (rsv < 0 || rsv > 7) {
            throw new IllegalArgumentException("rsv " + rsv + " is not in 0..7");
        }
        if (opcode < 0 || opcode > 15) {
            throw new IllegalArgumentException("opcode " + opcode + " is not in 0..15");
        }
        if (maskKey != null && maskKey.length != 4) {
            throw new IllegalArgumentException("mask key length " + maskKey.length + " != 4");
        }
    }

    /** Whether the opcode is a control opcode (bit 3 set). */
    public boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    /** Whether the frame carries a mask. */
    public boolean masked() {
        return maskKey != null;
    }

    /** The wire bytes of this frame (shortest length encoding, masked when a key is set). */
    public byte[] encode() {
        return Frames.encode(fin, rsv, opcode, payload, maskKey);
    }

    @Override
    public String toString() {
        String data = payload.length <= 32 ? HexFormat.of().formatHex(payload)
                : HexFormat.of().formatHex(Arrays.copyOf(payload, 32)) + "...";
        return "frame(fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", masked=" + masked()
                + ", len=" + payload.length + ", payload=" + data + ")";
    }
}
