package ws.protocol.internal.deflate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/** A real decompression bomb: 1 GiB of zeros compressed by Deflater into about 1 MiB. */
public final class Bomb {
    private Bomb() {
    }

    /**
     * The permessage-deflate payload of a message of exactly 2^30 zero bytes (1,060,861 bytes),
     * without the trailing {@code 00 00 ff ff}.
     *
     * <p>Made by {@link Deflater} (level 9) in milliseconds rather than seconds: 1 MiB of zeros is
     * compressed and sync-flushed, then a second MiB of zeros; the second chunk's bytes are a
     * byte-aligned run of blocks that only refer back into zeros, so they decode to another MiB of
     * zeros wherever at least 32 KiB of zeros precede them, and are repeated 1023 times. The result
     * is exactly what streaming 1 GiB of zeros through a Deflater with a sync flush every MiB gives.
     */
    public static byte[] oneGibibyteOfZeros() {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[64 * 1024];
        d.setInput(zeros);
        byte[] first = Arrays.copyOf(buf, d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
        d.setInput(zeros);
        byte[] next = Arrays.copyOf(buf, d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH));
        d.end();
        ByteArrayOutputStream bomb = new ByteArrayOutputStream(first.length + 1023 * next.length);
        bomb.writeBytes(first);
        for (int i = 0; i < 1023; i++) {
            bomb.writeBytes(next);
        }
        return Arrays.copyOf(bomb.toByteArray(), bomb.size() - 4);
    }
}
