package ws.benchmark.candidates;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A candidate for {@code ws.protocol.Masker} on heap arrays, measured next to it by
 * {@code MaskingCandidateBenchmark}: the same XOR with the 32-bit key, eight bytes at a time, but
 * through a {@code long} view of the {@code byte[]} (one bounds check per eight bytes, no
 * {@code ByteBuffer} index and scope checks) and four longs per loop iteration. Not used by the SDK;
 * it is here to show the owners of the engine what the change is worth on this machine.
 */
public final class ArrayMasker {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ArrayMasker() {
    }

    /**
     * XORs {@code length} bytes of {@code src} from {@code srcOffset} into {@code dst} from
     * {@code dstOffset} with the mask; {@code payloadOffset} is the offset of the first byte within
     * the frame's payload (the key's rotation).
     */
    public static void mask(byte[] src, int srcOffset, byte[] dst, int dstOffset, int length, int key, long payloadOffset) {
        int rotated = Integer.rotateLeft(key, (int) (payloadOffset & 3) * 8);
        // little-endian long of the key bytes in wire order: byte 0 of the key is the lowest byte
        long k = Integer.reverseBytes(rotated) & 0xFFFF_FFFFL;
        long wide = k | (k << 32);
        int i = 0;
        int end32 = length & ~31;
        for (; i < end32; i += 32) {
            LONGS.set(dst, dstOffset + i, (long) LONGS.get(src, srcOffset + i) ^ wide);
            LONGS.set(dst, dstOffset + i + 8, (long) LONGS.get(src, srcOffset + i + 8) ^ wide);
            LONGS.set(dst, dstOffset + i + 16, (long) LONGS.get(src, srcOffset + i + 16) ^ wide);
            LONGS.set(dst, dstOffset + i + 24, (long) LONGS.get(src, srcOffset + i + 24) ^ wide);
        }
        int end8 = length & ~7;
        for (; i < end8; i += 8) {
            LONGS.set(dst, dstOffset + i, (long) LONGS.get(src, srcOffset + i) ^ wide);
        }
        for (; i < length; i++) {
            dst[dstOffset + i] = (byte) (src[srcOffset + i] ^ (rotated >>> (24 - 8 * (i & 3))));
        }
    }
}
