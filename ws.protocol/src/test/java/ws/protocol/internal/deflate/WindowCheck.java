package ws.protocol.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import ws.protocol.Opcode;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;

/** Proves an extension's compressor keeps within a window, with the independent stream checker. */
public final class WindowCheck {
    private WindowCheck() {
    }

    /**
     * Sends a mix of messages (JSON, long repeats, fragmented) from one side to the other with
     * context takeover; the receiver must decode them, and the deflate stream they form must have no
     * distance of {@code 2^bits} or more.
     */
    public static void assertWithinWindow(Extension from, Extension to, int bits) throws ExtensionException {
        Random random = new Random(bits);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            byte[] m = i % 2 == 0 ? Corpus.json(random, 1000 + random.nextInt(30_000)) : Corpus.repetitive(random, 20_000);
            expected.writeBytes(m);
            int fragments = 1 + i % 3;
            int step = (m.length + fragments - 1) / fragments;
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int rsv = 0;
            for (int f = 0; f < fragments; f++) {
                int start = f * step;
                int end = f == fragments - 1 ? m.length : Math.min(m.length, start + step);
                Extension.EncodedFrame frame = from.encode(Opcode.BINARY, ByteBuffer.wrap(m, start, end - start), f == 0,
                        f == fragments - 1, true);
                if (f == 0) {
                    rsv = frame.rsv();
                    assertTrue(rsv == Extension.RSV1, "compressed");
                }
                byte[] payload = new byte[frame.payload().remaining()];
                frame.payload().duplicate().get(payload);
                stream.writeBytes(payload);
                ByteBuffer decoded = to.decode(rsv, frame.payload(), f == fragments - 1, Long.MAX_VALUE);
                byte[] d = new byte[decoded.remaining()];
                decoded.get(d);
                received.writeBytes(d);
            }
            stream.writeBytes(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
            assertArrayEquals(m, received.toByteArray(), "message " + i);
        }
        DeflateStreamChecker checker = DeflateStreamChecker.decode(stream.toByteArray());
        assertArrayEquals(expected.toByteArray(), checker.output());
        assertTrue(checker.maxDistance < (1 << bits), "max distance " + checker.maxDistance + " >= 2^" + bits);
        assertTrue(checker.maxDistance > (1 << bits) / 2, "the window is used: " + checker.maxDistance);
    }
}
