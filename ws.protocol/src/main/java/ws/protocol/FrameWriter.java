package ws.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes frames (RFC 6455 section 5.2): a header (FIN, RSV, opcode, MASK, the shortest length
 * encoding, the masking key) and the payload, masked when the writer is a client's (section 5.3) with
 * a fresh key from the injected random source for every frame. See {@link FrameReader} for the layout.
 *
 * <p>Not thread-safe (the random source is drawn from).
 */
public final class FrameWriter {
    /** The longest header: 2 bytes, a 64-bit length, a masking key. */
    public static final int MAX_HEADER_LENGTH = 14;

    /** How many masking keys one draw from the random source yields. */
    public static final int KEYS_PER_DRAW = 16;

    private final Side side;
    private final RandomGenerator random;
    /** Made on the first masked frame: a server never masks. */
    private byte[] keys;
    private int nextKey;

    /**
     * @param side   the side that writes: a {@link Side#CLIENT} masks every frame
     * @param random the source of masking keys (used by a client only)
     */
    public FrameWriter(Side side, RandomGenerator random) {
        this.side = Objects.requireNonNull(side, "side");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Whether this writer masks its frames: a client's does. */
    public boolean masks() {
        return side == Side.CLIENT;
    }

    /**
     * A fresh masking key from the random source. Keys are drawn {@value #KEYS_PER_DRAW} at a time
     * with one {@link RandomGenerator#nextBytes} call (a {@code SecureRandom} call is costly), each
     * key being the next four bytes, most significant first.
     */
    public int nextMaskKey() {
        if (keys == null) {
            keys = new byte[4 * KEYS_PER_DRAW];
            nextKey = keys.length;
        }
        if (nextKey == keys.length) {
            random.nextBytes(keys);
            nextKey = 0;
        }
        int at = nextKey;
        nextKey += 4;
        return ((keys[at] & 0xFF) << 24) | ((keys[at + 1] & 0xFF) << 16) | ((keys[at + 2] & 0xFF) << 8) | (keys[at + 3] & 0xFF);
    }

    /** The header length of a frame with this payload length: 2, 4 or 10 bytes, plus 4 when masked. */
    public static int headerLength(long payloadLength, boolean masked) {
        return (payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10) + (masked ? 4 : 0);
    }

    /**
     * Writes a frame header at {@code dst}'s position, advancing it.
     *
     * @param rsv     RSV bits as bits of the first byte ({@code 0x40} RSV1 ...)
     * @param masked  whether to set MASK and write {@code maskKey}
     * @throws IllegalArgumentException for RSV bits outside {@code 0x70}, a negative length, or a
     *                                  control frame that is not final or longer than 125 bytes
     */
    public static void writeHeader(ByteBuffer dst, boolean fin, int rsv, Opcode opcode, long payloadLength,
                                   boolean masked, int maskKey) {
        if ((rsv & ~FrameReader.RSV_MASK) != 0) {
            throw new IllegalArgumentException("RSV bits 0x" + Integer.toHexString(rsv) + " outside 0x70");
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payload length " + payloadLength + " < 0");
        }
        if (opcode.isControl() && (!fin || payloadLength > FrameReader.MAX_CONTROL_PAYLOAD)) {
            throw new IllegalArgumentException(!fin ? "control frame (" + opcode + ") not final"
                    : "control frame payload " + payloadLength + " > 125");
        }
        dst.put((byte) ((fin ? FrameReader.FIN : 0) | rsv | opcode.code()));
        int maskBit = masked ? FrameReader.MASK : 0;
        if (payloadLength < 126) {
            dst.put((byte) (maskBit | payloadLength));
        } else if (payloadLength < 65536) {
            dst.put((byte) (maskBit | 126));
            putBigEndian(dst, payloadLength, 2);
        } else {
            dst.put((byte) (maskBit | 127));
            putBigEndian(dst, payloadLength, 8);
        }
        if (masked) {
            putBigEndian(dst, maskKey, 4);
        }
    }

    /** Network byte order whatever the buffer's order. */
    private static void putBigEndian(ByteBuffer dst, long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            dst.put((byte) (value >>> shift));
        }
    }

    /**
     * Writes one whole frame at {@code dst}'s position: the header, then the remaining bytes of
     * {@code payload} (consumed), masked with a fresh key when this writer is a client's.
     *
     * @throws java.nio.BufferOverflowException when {@code dst} has less room than
     *         {@code headerLength(payload.remaining(), masks()) + payload.remaining()}
     */
    public void writeFrame(ByteBuffer dst, boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        int length = payload.remaining();
        if (masks()) {
            int key = nextMaskKey();
            writeHeader(dst, fin, rsv, opcode, length, true, key);
            Masker.mask(payload, dst, key, 0);
        } else {
            writeHeader(dst, fin, rsv, opcode, length, false, 0);
            dst.put(payload);
        }
    }

    /**
     * One whole frame in a new buffer, ready to read (position 0, limit at its end); the remaining bytes
     * of {@code payload} are consumed.
     */
    public ByteBuffer encode(boolean fin, int rsv, Opcode opcode, ByteBuffer payload) {
        ByteBuffer frame = ByteBuffer.allocate(headerLength(payload.remaining(), masks()) + payload.remaining());
        writeFrame(frame, fin, rsv, opcode, payload);
        return frame.flip();
    }

    /**
     * One unmasked final frame with no RSV bits: {@code opcode} and the remaining bytes of
     * {@code payload}, which are not consumed; a new buffer ready to read.
     */
    public static ByteBuffer encodeServerFrame(Opcode opcode, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(headerLength(length, false) + length);
        writeHeader(frame, true, 0, opcode, length, false, 0);
        frame.put(payload.duplicate());
        return frame.flip();
    }
}
