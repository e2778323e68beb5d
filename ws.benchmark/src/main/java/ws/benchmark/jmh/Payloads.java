package ws.benchmark.jmh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import ws.protocol.FrameWriter;
import ws.protocol.Opcode;
import ws.protocol.Side;

/** Inputs shared by the benchmarks: deterministic payloads and pre-encoded frames. */
final class Payloads {
    private Payloads() {
    }

    /** {@code size} bytes of printable ASCII. */
    static byte[] ascii(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /**
     * About {@code size} bytes of mixed-script UTF-8 (Latin, Greek, Cyrillic, CJK, emoji; roughly a
     * third of the bytes outside ASCII), cut at a character boundary.
     */
    static byte[] mixedUtf8(int size) {
        String unit = "Hello, world! Γειά σου Κόσμε! Привет, мир! こんにちは世界 😀🚀 ";
        StringBuilder text = new StringBuilder();
        while (text.toString().getBytes(StandardCharsets.UTF_8).length < size) {
            text.append(unit);
        }
        byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
        int end = size;
        while (end > 0 && (all[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(all, end);
    }

    /**
     * {@code count} masked client frames of {@code size} payload bytes each, back to back, as a
     * client sends them ({@code fin} false on all but the last makes one fragmented message).
     */
    static ByteBuffer maskedFrames(Opcode opcode, int size, int count, boolean fragmented) {
        FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(42));
        int frameLength = FrameWriter.headerLength(size, true) + size;
        ByteBuffer out = ByteBuffer.allocate(frameLength * count);
        byte[] payload = opcode == Opcode.TEXT ? ascii(size) : ascii(size);
        for (int i = 0; i < count; i++) {
            Opcode op = fragmented && i > 0 ? Opcode.CONTINUATION : opcode;
            boolean fin = !fragmented || i == count - 1;
            writer.writeFrame(out, fin, 0, op, ByteBuffer.wrap(payload));
        }
        return out.flip();
    }
}
