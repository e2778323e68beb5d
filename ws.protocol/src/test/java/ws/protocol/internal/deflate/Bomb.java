package ws.protocol.internal.deflate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/** A real decompression bomb, made once per test run: 1 GiB of zeros streamed through Deflater. */
public final class Bomb {
    private static byte[] oneGibibyte;

    private Bomb() {
    }

    /**
     * The permessage-deflate payload of a message of 2^30 zero bytes (about 1 MiB: zlib's ratio on
     * zeros is ~1030:1), sync-flushed and without the trailing 00 00 ff ff. Shared: do not modify.
     */
    public static synchronized byte[] oneGibibyteOfZeros() {
        if (oneGibibyte == null) {
            Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
            byte[] zeros = new byte[1 << 20];
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int i = 0; i < 1024; i++) {
                d.setInput(zeros);
                while (!d.needsInput()) {
                    bomb.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
                }
            }
            int n;
            while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
                bomb.write(buf, 0, n);
            }
            d.end();
            oneGibibyte = Arrays.copyOf(bomb.toByteArray(), bomb.size() - 4);
        }
        return oneGibibyte;
    }
}
