package ws.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Masking and unmasking of payload bytes (RFC 6455 section 5.3): byte {@code i} of a payload is XORed
 * with byte {@code i % 4} of the 32-bit masking key. Both directions are the same operation.
 *
 * <p>Eight bytes are processed at a time with {@code long} reads and writes (in each buffer's byte
 * order), then the tail byte by byte. Every method takes the offset of its first byte within the
 * frame's payload, so a payload handled in several chunks (as it streams in) gives the same result as
 * one pass over the whole payload.
 */
public final class Masker {
    private Masker() {
    }

    /**
     * XORs the remaining bytes of {@code src} with the mask into {@code dst}, advancing both
     * positions by {@code src.remaining()}.
     *
     * @param src    the bytes to mask or unmask, position to limit
     * @param dst    where the result goes, from its position; must have room for all of {@code src}
     * @param key    the masking key, most significant byte first as on the wire
     * @param offset the offset of {@code src}'s first byte within the frame's payload
     * @throws java.nio.BufferOverflowException when {@code dst} has less room than {@code src} has bytes
     */
    public static void mask(ByteBuffer src, ByteBuffer dst, int key, long offset) {
        if (src == dst) {
            maskInPlace(src, key, offset);
            src.position(src.limit());
            return;
        }
        int length = src.remaining();
        if (dst.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        int rotated = rotate(key, offset);
        int s = src.position();
        int d = dst.position();
        if (key != 0) {
            int end = s + (length & ~7);
            if (s < end) {
                long srcMask = wide(rotated, src.order());
                boolean sameOrder = src.order() == dst.order();
                for (; s < end; s += 8, d += 8) {
                    long value = src.getLong(s) ^ srcMask;
                    dst.putLong(d, sameOrder ? value : Long.reverseBytes(value));
                }
            }
            for (int shift = 24; s < src.limit(); s++, d++, shift = (shift - 8) & 31) {
                dst.put(d, (byte) (src.get(s) ^ (rotated >>> shift)));
            }
        } else {
            dst.put(d, src, s, length);
        }
        src.position(src.limit());
        dst.position(dst.position() + length);
    }

    /**
     * XORs the bytes of {@code buffer} from position to limit with the mask, in place; the position
     * does not move.
     *
     * @param key    the masking key, most significant byte first as on the wire
     * @param offset the offset of the buffer's first byte within the frame's payload
     */
    public static void maskInPlace(ByteBuffer buffer, int key, long offset) {
        if (key == 0) {
            return;
        }
        int rotated = rotate(key, offset);
        int i = buffer.position();
        int limit = buffer.limit();
        int end = i + ((limit - i) & ~7);
        if (i < end) {
            long wide = wide(rotated, buffer.order());
            for (; i < end; i += 8) {
                buffer.putLong(i, buffer.getLong(i) ^ wide);
            }
        }
        for (int shift = 24; i < limit; i++, shift = (shift - 8) & 31) {
            buffer.put(i, (byte) (buffer.get(i) ^ (rotated >>> shift)));
        }
    }

    /**
     * XORs {@code length} bytes of {@code array} from {@code from} with the mask, in place.
     *
     * @param key    the masking key, most significant byte first as on the wire
     * @param offset the offset of {@code array[from]} within the frame's payload
     */
    public static void maskInPlace(byte[] array, int from, int length, int key, long offset) {
        maskInPlace(ByteBuffer.wrap(array, from, length), key, offset);
    }

    /** The key rotated so that its most significant byte applies to the byte at {@code offset}. */
    private static int rotate(int key, long offset) {
        return Integer.rotateLeft(key, (int) (offset & 3) * 8);
    }

    /** The rotated key repeated to 64 bits, laid out for {@code getLong} in {@code order}. */
    private static long wide(int rotated, ByteOrder order) {
        long bigEndian = ((long) rotated << 32) | (rotated & 0xFFFF_FFFFL);
        return order == ByteOrder.BIG_ENDIAN ? bigEndian : Long.reverseBytes(bigEndian);
    }
}
