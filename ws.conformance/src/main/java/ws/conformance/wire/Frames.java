package ws.conformance.wire;

import java.nio.charset.StandardCharsets;

/** Builds raw frame bytes: any FIN, RSV and opcode, shortest length encoding, optional mask. */
public final class Frames {
    private Frames() {
    }

    /**
     * The bytes of one frame.
     *
     * @param maskKey a 4-byte key to mask with, or {@code null} to send unmasked
     */
    public static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, byte[] maskKey) {
        int length = payload.length;
        int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        int header = 2 + lengthBytes + (maskKey == null ? 0 : 4);
        byte[] out = new byte[header + length];
        out[0] = (byte) ((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode & 0xF);
        int maskBit = maskKey == null ? 0 : 0x80;
        int p = 2;
        if (lengthBytes == 0) {
            out[1] = (byte) (maskBit | length);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (maskBit | 126);
            out[p++] = (byte) (length >>> 8);
            out[p++] = (byte) length;
        } else {
            out[1] = (byte) (maskBit | 127);
            long l = length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[p++] = (byte) (l >>> shift);
            }
        }
        if (maskKey == null) {
            System.arraycopy(payload, 0, out, p, length);
        } else {
            System.arraycopy(maskKey, 0, out, p, 4);
            p += 4;
            for (int i = 0; i < length; i++) {
                out[p + i] = (byte) (payload[i] ^ maskKey[i & 3]);
            }
        }
        return out;
    }

    /** The payload of a close frame: the code (2 bytes, big-endian) and the reason's bytes. */
    public static byte[] closePayload(int code, byte[] reason) {
        byte[] out = new byte[2 + reason.length];
        out[0] = (byte) (code >>> 8);
        out[1] = (byte) code;
        System.arraycopy(reason, 0, out, 2, reason.length);
        return out;
    }

    /** UTF-8 bytes of a string. */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code length} bytes repeating {@code pattern}. */
    public static byte[] repeat(byte[] pattern, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = pattern[i % pattern.length];
        }
        return out;
    }

    /** Bytes from an even-length hex string. */
    public static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }
}
