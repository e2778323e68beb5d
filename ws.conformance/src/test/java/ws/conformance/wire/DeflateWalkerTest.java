package ws.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The suite's own DEFLATE walker and its permessage-deflate codec, checked against java.util.zip. */
class DeflateWalkerTest {
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** Sync-flushed DEFLATE data of each message in turn, from one Deflater (context kept). */
    private static byte[][] compress(int level, int strategy, byte[]... messages) {
        Deflater deflater = new Deflater(level, true);
        deflater.setStrategy(strategy);
        byte[][] out = new byte[messages.length][];
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < messages.length; i++) {
            deflater.setInput(messages[i]);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int n;
            do {
                n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                bytes.write(buf, 0, n);
            } while (n == buf.length || !deflater.needsInput());
            out[i] = bytes.toByteArray();
        }
        deflater.end();
        return out;
    }

    private static byte[] text(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] words = {"alpha", "beta", "gamma", "delta", "epsilon", "{\"id\":", "\"name\":", "true", "false"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < size) {
            sb.append(words[random.nextInt(words.length)]).append(' ');
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    @Test
    void walksZlibOutputAndCountsEveryByteAtEveryLevel() throws Exception {
        byte[] data = text(100_000, 1);
        for (int level : new int[] {0, 1, 6, 9}) {
            byte[] compressed = compress(level, Deflater.DEFAULT_STRATEGY, data)[0];
            DeflateWalker.Result r = DeflateWalker.walk(compressed, compressed.length, 15, 0);
            assertEquals(data.length, r.produced(), "level " + level);
            assertTrue(r.maxDistance() <= 32768, "level " + level);
            if (level > 0) {
                assertTrue(r.maxDistance() > 256, "zlib uses its 32 KiB window: " + r.maxDistance());
            }
        }
    }

    @Test
    void aDistanceBeyondTheAgreedWindowIsCaught() {
        byte[] data = text(100_000, 2);
        byte[] compressed = compress(6, Deflater.DEFAULT_STRATEGY, data)[0];
        DeflateWalker.DeflateException e = assertThrows(DeflateWalker.DeflateException.class,
                () -> DeflateWalker.walk(compressed, compressed.length, 8, 0));
        assertTrue(e.getMessage().contains("> 2^8 = 256"), e.getMessage());
    }

    @Test
    void huffmanOnlyHasNoBackReferencesSoFitsAnyWindow() throws Exception {
        byte[] data = text(50_000, 3);
        byte[] compressed = compress(6, Deflater.HUFFMAN_ONLY, data)[0];
        DeflateWalker.Result r = DeflateWalker.walk(compressed, compressed.length, 8, 0);
        assertEquals(data.length, r.produced());
        assertEquals(0, r.maxDistance());
    }

    @Test
    void aReferenceIntoAnEarlierMessageNeedsContextTakeover() throws Exception {
        byte[] first = text(4000, 4);
        byte[][] both = compress(6, Deflater.DEFAULT_STRATEGY, first, first.clone());
        byte[] second = both[1];
        DeflateWalker.DeflateException e = assertThrows(DeflateWalker.DeflateException.class,
                () -> DeflateWalker.walk(second, second.length, 15, 0));
        assertTrue(e.getMessage().contains("no context takeover"), e.getMessage());
        DeflateWalker.Result r = DeflateWalker.walk(second, second.length, 15, first.length);
        assertEquals(first.length, r.produced());
    }

    @Test
    void brokenStreamsAreRefused() {
        byte[] reserved = {(byte) 0x07}; // BFINAL=1, BTYPE=11
        assertThrows(DeflateWalker.DeflateException.class, () -> DeflateWalker.walk(reserved, 1, 15, 0));
        byte[] badStored = {0x00, 0x05, 0x00, 0x00, 0x00}; // stored, LEN 5, NLEN not its complement
        assertThrows(DeflateWalker.DeflateException.class, () -> DeflateWalker.walk(badStored, 5, 15, 0));
        byte[] compressed = compress(6, Deflater.DEFAULT_STRATEGY, text(10_000, 5))[0];
        assertThrows(DeflateWalker.DeflateException.class,
                () -> DeflateWalker.walk(compressed, compressed.length / 2, 15, 0), "cut in the middle of a block");
    }

    @Test
    void codecRoundTripsBothWaysUnderEveryAgreement() throws Exception {
        for (String response : new String[] {"permessage-deflate", "permessage-deflate; client_no_context_takeover",
            "permessage-deflate; server_no_context_takeover; client_max_window_bits=8",
            "permessage-deflate; server_max_window_bits=9; client_max_window_bits=10"}) {
            Pmd.Agreement agreement = Pmd.Agreement.of(Pmd.parse(response).get(0));
            MessageDeflate client = new MessageDeflate(agreement, false);
            MessageDeflate server = new MessageDeflate(agreement, true);
            for (int i = 0; i < 5; i++) {
                byte[] message = text(20_000 + i, 10 + i % 2);
                byte[] wire = client.compress(message);
                assertTrue(wire.length < 4 || !Arrays.equals(wire, wire.length - 4, wire.length, TAIL, 0, 4),
                        "00 00 ff ff is removed");
                assertArrayEquals(message, server.decompress(wire, 1 << 20), response);
                assertArrayEquals(message, client.decompress(server.compress(message), 1 << 20), response);
            }
            client.close();
            server.close();
        }
    }

    @Test
    void theCodecCatchesAPeerThatKeepsItsContextAfterAgreeingNotTo() throws Exception {
        Pmd.Agreement agreement = Pmd.Agreement.of(Pmd.parse("permessage-deflate; server_no_context_takeover").get(0));
        MessageDeflate suiteAsClient = new MessageDeflate(agreement, false);
        byte[] message = text(4000, 6);
        byte[][] peer = compress(6, Deflater.DEFAULT_STRATEGY, message, message.clone()); // keeps its context
        assertArrayEquals(message, suiteAsClient.decompress(strip(peer[0]), 1 << 20));
        assertThrows(DeflateWalker.DeflateException.class, () -> suiteAsClient.decompress(strip(peer[1]), 1 << 20));
    }

    @Test
    void theCodecCatchesAWindowTooLarge() throws Exception {
        Pmd.Agreement agreement = Pmd.Agreement.of(Pmd.parse("permessage-deflate; server_max_window_bits=10").get(0));
        MessageDeflate suiteAsClient = new MessageDeflate(agreement, false);
        byte[] peer = compress(6, Deflater.DEFAULT_STRATEGY, text(100_000, 7))[0];
        DeflateWalker.DeflateException e = assertThrows(DeflateWalker.DeflateException.class,
                () -> suiteAsClient.decompress(strip(peer), 1 << 20));
        assertTrue(e.getMessage().contains("2^10"), e.getMessage());
    }

    private static byte[] strip(byte[] flushed) {
        return Arrays.copyOf(flushed, flushed.length - 4);
    }
}
