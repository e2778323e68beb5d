package ws.protocol.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pure-Java windowed encoder: its output inflates with {@link Inflater} and with an independent
 * decoder, and no distance ever reaches beyond the window (RFC 7692 section 7.1.2), across messages too.
 */
class WindowedDeflaterTest {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    /** Compresses messages one after another, as permessage-deflate with context takeover does. */
    private static List<byte[]> compressAll(WindowedDeflater deflater, List<byte[]> messages) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] m : messages) {
            out.add(deflater.deflate(ByteBuffer.wrap(m), true));
        }
        return out;
    }

    /** The messages with 00 00 ff ff appended, concatenated: one raw deflate stream (RFC 7692 7.2.2). */
    private static byte[] stream(List<byte[]> compressed) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] c : compressed) {
            s.writeBytes(c);
            s.writeBytes(TAIL);
        }
        return s.toByteArray();
    }

    private static byte[] inflate(Inflater inflater, byte[] compressed) throws DataFormatException {
        inflater.setInput(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                return out.toByteArray();
            }
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        parts.forEach(s::writeBytes);
        return s.toByteArray();
    }

    static List<Arguments> windowsAndLevels() {
        List<Arguments> args = new ArrayList<>();
        for (int bits = 8; bits <= 14; bits++) {
            for (int level : new int[] {0, 1, 4, 6, 9}) {
                args.add(Arguments.of(bits, level));
            }
        }
        return args;
    }

    @ParameterizedTest(name = "window {0} bits, level {1}")
    @MethodSource("windowsAndLevels")
    void everyDistanceStaysInsideTheWindowAcrossMessages(int bits, int level) throws DataFormatException {
        Random random = new Random(bits * 31L + level);
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            messages.add(switch (i % 4) {
                case 0 -> Corpus.json(random, 200 + random.nextInt(3000));
                case 1 -> Corpus.repetitive(random, 100 + random.nextInt(20_000));
                case 2 -> Corpus.random(random, random.nextInt(600));
                default -> Corpus.json(random, 40_000);
            });
        }
        WindowedDeflater deflater = new WindowedDeflater(bits, level);
        List<byte[]> compressed = compressAll(deflater, messages);
        byte[] stream = stream(compressed);

        DeflateStreamChecker checker = DeflateStreamChecker.decode(stream);
        assertArrayEquals(concat(messages), checker.output());
        assertTrue(checker.maxDistance < (1 << bits), "max distance " + checker.maxDistance + " >= 2^" + bits);
        if (level > 0) {
            assertTrue(checker.maxDistance > (1 << bits) / 2, "the window is used: " + checker.maxDistance);
        } else {
            assertEquals(0, checker.maxDistance);
        }

        Inflater inflater = new Inflater(true);
        try {
            for (int i = 0; i < messages.size(); i++) {
                byte[] withTail = Arrays.copyOf(compressed.get(i), compressed.get(i).length + 4);
                System.arraycopy(TAIL, 0, withTail, compressed.get(i).length, 4);
                assertArrayEquals(messages.get(i), inflate(inflater, withTail), "message " + i);
            }
        } finally {
            inflater.end();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
    void randomFramesMessagesAndResetsDecodeWithInflaterAndStayInTheWindow(int seed) throws DataFormatException {
        Random random = new Random(seed);
        int bits = 8 + random.nextInt(7);
        WindowedDeflater deflater = new WindowedDeflater(bits, random.nextInt(10));
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        try {
            for (int message = 0; message < 8; message++) {
                byte[] m = switch (random.nextInt(4)) {
                    case 0 -> Corpus.json(random, random.nextInt(30_000));
                    case 1 -> Corpus.repetitive(random, random.nextInt(30_000));
                    case 2 -> Corpus.random(random, random.nextInt(3000));
                    default -> new byte[random.nextInt(70_000)];
                };
                ByteArrayOutputStream compressed = new ByteArrayOutputStream();
                int offset = 0;
                do {
                    int n = Math.min(m.length - offset, random.nextInt(4) == 0 ? random.nextInt(10) : random.nextInt(20_000));
                    boolean fin = offset + n == m.length && random.nextInt(5) > 0;
                    compressed.writeBytes(deflater.deflate(ByteBuffer.wrap(m, offset, n), fin));
                    offset += n;
                    if (offset == m.length && !fin) {
                        compressed.writeBytes(deflater.deflate(ByteBuffer.allocate(0), true)); // empty final fragment
                    }
                } while (offset < m.length);
                compressed.writeBytes(TAIL);
                assertArrayEquals(m, inflate(inflater, compressed.toByteArray()), "message " + message);
                segment.writeBytes(compressed.toByteArray());
                if (random.nextInt(4) == 0) {
                    deflater.reset();
                    inflater.reset();
                    DeflateStreamChecker checker = DeflateStreamChecker.decode(segment.toByteArray());
                    assertTrue(checker.maxDistance < (1 << bits), "max distance " + checker.maxDistance);
                    segment.reset();
                }
            }
            DeflateStreamChecker checker = DeflateStreamChecker.decode(segment.toByteArray());
            assertTrue(checker.maxDistance < (1 << bits), "max distance " + checker.maxDistance);
        } finally {
            inflater.end();
        }
    }

    @Test
    void compressesJsonAboutAsWellAsZlibAtTheSameLevel() {
        Random random = new Random(7);
        byte[] json = Corpus.json(random, 200_000);
        WindowedDeflater deflater = new WindowedDeflater(14, 6);
        int ours = deflater.deflate(ByteBuffer.wrap(json), true).length;
        java.util.zip.Deflater zlib = new java.util.zip.Deflater(6, true);
        zlib.setInput(json);
        zlib.finish();
        byte[] buf = new byte[json.length];
        int theirs = zlib.deflate(buf);
        zlib.end();
        assertTrue(ours < theirs * 1.15, "windowed " + ours + " bytes vs zlib " + theirs);
    }

    @Test
    void theTestBombInflatesToZerosAtOneGibibytePerItsLength() throws DataFormatException {
        // Inflating all of it takes seconds; an eighth shows the rate: 128 MiB of zeros from an eighth of the input.
        byte[] bomb = Bomb.oneGibibyteOfZeros();
        assertTrue(bomb.length < 1_100_000, bomb.length + " bytes");
        Inflater inflater = new Inflater(true);
        inflater.setInput(bomb);
        byte[] out = new byte[1 << 20];
        long total = 0;
        while (total < 128 << 20) {
            int n = inflater.inflate(out);
            for (int i = 0; i < n; i += 509) {
                assertEquals(0, out[i]);
            }
            total += n;
        }
        long read = inflater.getBytesRead();
        inflater.end();
        assertEquals(128 << 20, total);
        assertEquals(bomb.length / 8.0, read, 1100, "input consumed for an eighth of the output");
    }

    @Test
    void resetForgetsTheHistory() throws DataFormatException {
        byte[] m = "Hello, Hello, Hello, Hello".getBytes();
        WindowedDeflater deflater = new WindowedDeflater(9, 6);
        byte[] first = deflater.deflate(ByteBuffer.wrap(m), true);
        deflater.reset();
        byte[] second = deflater.deflate(ByteBuffer.wrap(m), true);
        assertArrayEquals(first, second);
        Inflater fresh = new Inflater(true);
        byte[] withTail = Arrays.copyOf(second, second.length + 4);
        System.arraycopy(TAIL, 0, withTail, second.length, 4);
        assertArrayEquals(m, inflate(fresh, withTail));
        fresh.end();
    }

    @Test
    void emptyInputIsAnEmptyStoredBlock() {
        WindowedDeflater deflater = new WindowedDeflater(8, 6);
        assertEquals("0000", HexFormat.of().formatHex(deflater.deflate(ByteBuffer.allocate(0), false)).substring(0, 4));
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0xff, (byte) 0xff}, new WindowedDeflater(8, 6).deflate(ByteBuffer.allocate(0), false));
        assertArrayEquals(new byte[] {0}, new WindowedDeflater(8, 6).deflate(ByteBuffer.allocate(0), true));
    }

    @Test
    void fragmentsOfOneByteFormOneStream() {
        Random random = new Random(3);
        byte[] m = Corpus.json(random, 5000);
        WindowedDeflater deflater = new WindowedDeflater(10, 6);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            frames.add(deflater.deflate(ByteBuffer.wrap(m, i, 1), i == m.length - 1));
        }
        byte[] stream = Arrays.copyOf(concat(frames), concat(frames).length + 4);
        System.arraycopy(TAIL, 0, stream, stream.length - 4, 4);
        DeflateStreamChecker checker = DeflateStreamChecker.decode(stream);
        assertArrayEquals(m, checker.output());
        assertTrue(checker.maxDistance < 1024);
    }

    @Test
    void theInputBufferIsNotConsumed() {
        ByteBuffer input = ByteBuffer.wrap("abcabcabc".getBytes());
        new WindowedDeflater(8, 6).deflate(input, true);
        assertEquals(0, input.position());
    }

    @Test
    void rejectsWindowsOutsideEightToFourteenAndLevelsOutsideZeroToNine() {
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(7, 6));
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(15, 6));
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(10, 10));
    }

    @Nested
    class HuffmanCodes {
        @Test
        void skewedFrequenciesAreLimitedToFifteenBitsAndStayComplete() {
            int[] freq = new int[286];
            long a = 1;
            long b = 1;
            for (int i = 0; i < 40; i++) {
                freq[i] = (int) Math.min(a, Integer.MAX_VALUE / 64);
                long c = a + b;
                a = b;
                b = c;
            }
            byte[] lengths = new byte[286];
            new WindowedDeflater(8, 6).buildLengths(freq, 286, 15, lengths);
            double kraft = 0;
            for (int i = 0; i < 286; i++) {
                assertTrue(lengths[i] <= 15, "length " + lengths[i]);
                if (lengths[i] > 0) {
                    kraft += Math.pow(2, -lengths[i]);
                }
            }
            assertEquals(1.0, kraft, 1e-12, "a complete prefix code");
        }

        @Test
        void aSingleUsedSymbolStillGetsACompleteCode() {
            int[] freq = new int[30];
            freq[7] = 100;
            byte[] lengths = new byte[30];
            new WindowedDeflater(8, 6).buildLengths(freq, 30, 15, lengths);
            assertEquals(1, lengths[7]);
            assertEquals(2, lengths[0] + lengths[7], "two codes of one bit");
        }

        @Test
        void allByteValuesAndLongRunsDecode() {
            byte[] m = new byte[70_000];
            for (int i = 0; i < m.length; i++) {
                m[i] = (byte) (i < 256 ? i : i < 40_000 ? 'x' : i % 251);
            }
            byte[] c = new WindowedDeflater(12, 9).deflate(ByteBuffer.wrap(m), false);
            DeflateStreamChecker checker = DeflateStreamChecker.decode(c);
            assertArrayEquals(m, checker.output());
            assertTrue(checker.dynamicBlocks + checker.fixedBlocks > 0);
        }
    }
}
