package ws.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Masking and unmasking of payload bytes (RFC 6455 section 5.3): byte {@code i} of a payload is XORed
 * with byte {@code i % 4} of the 32-bit masking key. Both directions are the same operation.
 *
 * <p>Heap arrays are processed through a {@code long} view of the {@code byte[]}
 * ({@link MethodHandles#byteArrayViewVarHandle}), 32 bytes per loop iteration: one bounds check per
 * eight bytes and no {@code ByteBuffer} index or scope checks, which runs at about the speed of a memory
 * copy. Buffers without an accessible array (direct or read-only) go eight bytes at a time through
 * {@code getLong}/{@code putLong} in each buffer's byte order. The tail is done byte by byte. Every
 * method takes the offset of its first byte within the frame's payload, so a payload handled in several
 * chunks (as it streams in) gives the same result as one pass over the whole payload.
 */
public final class Masker {
    /** A little-endian {@code long} view of a {@code byte[]}: byte 0 of the key is the low byte. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        int s = src.position();
        int d = dst.position();
        if (key == 0) {
            dst.put(d, src, s, length);
        } else if (src.hasArray() && dst.hasArray()) {
            mask(src.array(), src.arrayOffset() + s, dst.array(), dst.arrayOffset() + d, length, key, offset);
        } else {
            maskBuffers(src, s, dst, d, length, rotate(key, offset));
        }
        src.position(src.limit());
        dst.position(d + length);
    }

    /**
     * XORs {@code length} bytes of {@code src} from {@code srcFrom} with the mask into {@code dst} from
     * {@code dstFrom}. The two ranges may be the same (in place), or overlap with {@code dst} before
     * {@code src}.
     *
     * @param src     the bytes to mask or unmask
     * @param srcFrom the index of the first byte in {@code src}
     * @param dst     where the result goes
     * @param dstFrom the index of the first result byte in {@code dst}
     * @param length  how many bytes
     * @param key     the masking key, most significant byte first as on the wire
     * @param offset  the offset of {@code src[srcFrom]} within the frame's payload
     * @throws IndexOutOfBoundsException when a range is outside its array
     */
    public static void mask(byte[] src, int srcFrom, byte[] dst, int dstFrom, int length, int key, long offset) {
        java.util.Objects.checkFromIndexSize(srcFrom, length, src.length);
        java.util.Objects.checkFromIndexSize(dstFrom, length, dst.length);
        if (key == 0) {
            if (src != dst || srcFrom != dstFrom) {
                System.arraycopy(src, srcFrom, dst, dstFrom, length);
            }
            return;
        }
        int rotated = rotate(key, offset);
        long k = Integer.reverseBytes(rotated) & 0xFFFF_FFFFL;
        long wide = k | (k << 32);
        int i = 0;
        int end32 = length & ~31;
        for (; i < end32; i += 32) {
            int a = srcFrom + i;
            int b = dstFrom + i;
            long v0 = (long) LONGS.get(src, a);
            long v1 = (long) LONGS.get(src, a + 8);
            long v2 = (long) LONGS.get(src, a + 16);
            long v3 = (long) LONGS.get(src, a + 24);
            LONGS.set(dst, b, v0 ^ wide);
            LONGS.set(dst, b + 8, v1 ^ wide);
            LONGS.set(dst, b + 16, v2 ^ wide);
            LONGS.set(dst, b + 24, v3 ^ wide);
        }
        int end8 = length & ~7;
        for (; i < end8; i += 8) {
            LONGS.set(dst, dstFrom + i, (long) LONGS.get(src, srcFrom + i) ^ wide);
        }
        for (; i < length; i++) {
            dst[dstFrom + i] = (byte) (src[srcFrom + i] ^ (wide >>> (8 * (i & 7))));
        }
    }

    /**
     * XORs the bytes of {@code buffer} from position to limit with the mask, in place; the position
     * does not move.
     *
     * @param key    the masking key, most significant byte first as on the wire
     * @param offset the offset of the buffer's first byte within the frame's payload
     * @throws java.nio.ReadOnlyBufferException when the buffer is read-only and there is something to mask
     */
    public static void maskInPlace(ByteBuffer buffer, int key, long offset) {
        if (key == 0) {
            return;
        }
        int i = buffer.position();
        int length = buffer.limit() - i;
        if (buffer.hasArray()) {
            byte[] array = buffer.array();
            int from = buffer.arrayOffset() + i;
            mask(array, from, array, from, length, key, offset);
        } else {
            maskBuffers(buffer, i, buffer, i, length, rotate(key, offset));
        }
    }

    /**
     * XORs {@code length} bytes of {@code array} from {@code from} with the mask, in place.
     *
     * @param key    the masking key, most significant byte first as on the wire
     * @param offset the offset of {@code array[from]} within the frame's payload
     */
    public static void maskInPlace(byte[] array, int from, int length, int key, long offset) {
        mask(array, from, array, from, length, key, offset);
    }

    /** The loop for buffers without arrays: absolute {@code getLong/putLong} in each buffer's order. */
    private static void maskBuffers(ByteBuffer src, int s, ByteBuffer dst, int d, int length, int rotated) {
        int end = s + (length & ~7);
        int limit = s + length;
        if (s < end) {
            long srcMask = wide(rotated, src.order());
            boolean sameOrder = src.order() == dst.order();
            for (; s < end; s += 8, d += 8) {
                long value = src.getLong(s) ^ srcMask;
                dst.putLong(d, sameOrder ? value : Long.reverseBytes(value));
            }
        }
        for (int shift = 24; s < limit; s++, d++, shift = (shift - 8) & 31) {
            dst.put(d, (byte) (src.get(s) ^ (rotated >>> shift)));
        }
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
