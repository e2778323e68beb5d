package ws.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/** Test helper: hex with spaces, and byte plumbing. */
public final class Hex {
    private Hex() {
    }

    /** Bytes from hex digits; spaces ignored: {@code bytes("81 05 48")}. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Lower-case hex with a space between bytes. */
    public static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** The remaining bytes of a buffer (not consumed). */
    public static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** The remaining bytes of several buffers, concatenated (not consumed). */
    public static byte[] concat(List<ByteBuffer> buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer buffer : buffers) {
            out.writeBytes(bytes(buffer));
        }
        return out.toByteArray();
    }

    /** Concatenation of byte arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A random source whose bytes repeat {@code key} (most significant byte first): every masking key is {@code key}. */
    public static java.util.random.RandomGenerator fixedKey(int key) {
        return new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return (long) key << 32 | (key & 0xFFFF_FFFFL);
            }

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (key >>> (24 - 8 * (i & 3)));
                }
            }
        };
    }

    /** A payload of {@code n} bytes 0, 1, 2, ... (mod 256). */
    public static byte[] counting(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) i;
        }
        return out;
    }

    /**
     * A raw frame as a peer would send it: {@code first} is the whole first byte (FIN, RSV, opcode);
     * masked with {@code key} when {@code masked}; the length in its shortest encoding.
     */
    public static byte[] frame(int first, byte[] payload, boolean masked, int key) {
        ByteBuffer out = ByteBuffer.allocate(FrameWriter.MAX_HEADER_LENGTH + payload.length);
        out.put((byte) first);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.put((byte) (maskBit | payload.length));
        } else if (payload.length < 65536) {
            out.put((byte) (maskBit | 126)).putShort((short) payload.length);
        } else {
            out.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (masked) {
            out.putInt(key);
            for (int i = 0; i < payload.length; i++) {
                out.put((byte) (payload[i] ^ (key >>> (24 - 8 * (i & 3)))));
            }
        } else {
            out.put(payload);
        }
        out.flip();
        return bytes(out);
    }
}
