package ws.protocol.internal.deflate;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test data: JSON-like messages such as a chat or market feed sends. */
public final class Corpus {
    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] WORDS = {"price", "update", "order", "filled", "cancel", "quote", "trade",
            "symbol", "volume", "market", "limit", "status", "pending", "accepted", "rejected", "hello"};

    private Corpus() {
    }

    /** One JSON object of roughly {@code approxSize} bytes. */
    public static byte[] json(Random random, int approxSize) {
        StringBuilder sb = new StringBuilder(approxSize + 128);
        sb.append('[');
        while (sb.length() < approxSize) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("{\"id\":").append(random.nextInt(1_000_000))
                    .append(",\"user\":\"").append(NAMES[random.nextInt(NAMES.length)]).append('"')
                    .append(",\"type\":\"").append(WORDS[random.nextInt(WORDS.length)]).append('"')
                    .append(",\"price\":").append(random.nextInt(100_000) / 100.0)
                    .append(",\"qty\":").append(random.nextInt(1000))
                    .append(",\"ts\":").append(1_700_000_000_000L + random.nextInt(1_000_000_000))
                    .append(",\"note\":\"").append(WORDS[random.nextInt(WORDS.length)]).append(' ')
                    .append(WORDS[random.nextInt(WORDS.length)]).append("\"}");
        }
        sb.append(']');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Random bytes: incompressible. */
    public static byte[] random(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    /** Bytes from a small alphabet with long repeats at all distances. */
    public static byte[] repetitive(Random random, int size) {
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            if (i > 0 && random.nextInt(3) > 0) {
                int distance = 1 + random.nextInt(Math.min(i, 40_000));
                int length = Math.min(size - i, 3 + random.nextInt(300));
                for (int k = 0; k < length; k++, i++) {
                    b[i] = b[i - distance];
                }
            } else {
                b[i++] = (byte) ('a' + random.nextInt(4));
            }
        }
        return b;
    }
}
