package ws.conformance.cases;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The payloads of groups 12 and 13. Autobahn sends slices of five files (a JSON file, a bitmap, a
 * German text, an HTML page, a PDF); the suite generates its own data of the same kinds and exact
 * sizes, deterministically (a fixed seed), so that compression ratios are of the same order. Text
 * data sets are ASCII, so that any slice is valid UTF-8.
 *
 * @param id          the Autobahn subgroup it stands for ("12.1")
 * @param description what it is
 * @param binary      whether its messages are sent as binary
 * @param data        the bytes
 */
public record CompressionData(String id, String description, boolean binary, byte[] data) {

    /** The five data sets of group 12, in Autobahn's subgroup order. */
    static CompressionData[] all() {
        return new CompressionData[] {json(), bitmap(), germanText(), html(), pdf()};
    }

    /** The JSON data set, which group 13 uses throughout. */
    static CompressionData json() {
        return new CompressionData("12.1", "Large JSON data file (utf8, 194056 bytes)", false, jsonBytes(194_056));
    }

    /** The next {@code length} bytes of the data set from {@code from}, wrapping around at the end. */
    byte[] slice(int from, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = data[(from + i) % data.length];
        }
        return out;
    }

    private static CompressionData bitmap() {
        // a 512x512 8-bit greyscale BMP: 54-byte header, 256-entry palette, 262144 pixels = 263222 bytes
        byte[] out = new byte[263_222];
        int p = 0;
        p = le(out, p, 0x4D42, 2);
        p = le(out, p, out.length, 4);
        p = le(out, p, 0, 4);
        p = le(out, p, 1078, 4);
        p = le(out, p, 40, 4);
        p = le(out, p, 512, 4);
        p = le(out, p, 512, 4);
        p = le(out, p, 1, 2);
        p = le(out, p, 8, 2);
        p = le(out, p, 0, 4);
        p = le(out, p, 262_144, 4);
        p = le(out, p, 2835, 4);
        p = le(out, p, 2835, 4);
        p = le(out, p, 256, 4);
        p = le(out, p, 0, 4);
        for (int i = 0; i < 256; i++) {
            out[p++] = (byte) i;
            out[p++] = (byte) i;
            out[p++] = (byte) i;
            out[p++] = 0;
        }
        SplittableRandom random = new SplittableRandom(512);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                double v = 128 + 60 * Math.sin(x / 37.0) * Math.cos(y / 23.0) + 40 * Math.sin((x + y) / 91.0);
                out[p++] = (byte) Math.max(0, Math.min(255, (int) v + random.nextInt(-6, 7)));
            }
        }
        return new CompressionData("12.2", "Picture, bitmap 512x512 greyscale (binary, 263222 bytes)", true, out);
    }

    private static CompressionData germanText() {
        String[] words = {"der", "die", "das", "und", "nicht", "ich", "mich", "mir", "ist", "zu", "ein", "wie",
            "Geist", "Welt", "Nacht", "Himmel", "Erde", "Herz", "Seele", "Liebe", "Zeit", "Leben", "Wissen",
            "schön", "größer", "über", "Mühe", "ängstlich", "früh", "Schüler", "Gretchen", "Doktor", "Teufel",
            "sehen", "streben", "fühlen", "wandeln", "Augenblick", "verweile", "doch", "du", "bist", "so"};
        SplittableRandom random = new SplittableRandom(1808);
        StringBuilder text = new StringBuilder();
        int line = 0;
        while (text.length() < 240_000) {
            if (line % 40 == 0) {
                text.append("\r\n").append(words[random.nextInt(12, words.length)].toUpperCase()).append(".\r\n");
            }
            int n = random.nextInt(4, 10);
            for (int i = 0; i < n; i++) {
                String w = words[random.nextInt(words.length)];
                text.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
                text.append(i == n - 1 ? (random.nextInt(3) == 0 ? "!" : ",") : " ");
            }
            text.append("\r\n");
            line++;
        }
        return new CompressionData("12.3", "Human readable text in German (binary, 222218 bytes)", true,
                fit(text.toString().getBytes(StandardCharsets.UTF_8), 222_218));
    }

    private static CompressionData html() {
        SplittableRandom random = new SplittableRandom(8308);
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
                + "<title>Report</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head>\n<body>\n"
                + "<table class=\"data\">\n");
        String[] cells = {"alpha", "beta", "gamma", "delta", "epsilon", "status-ok", "status-warn", "n/a"};
        for (int row = 0; html.length() < 90_000; row++) {
            html.append("  <tr id=\"row-").append(row).append("\" class=\"").append(row % 2 == 0 ? "even" : "odd")
                    .append("\">");
            for (int c = 0; c < 5; c++) {
                html.append("<td class=\"c").append(c).append("\"><a href=\"/item/").append(random.nextInt(100_000))
                        .append("\">").append(cells[random.nextInt(cells.length)]).append("</a></td>");
            }
            html.append("</tr>\n");
        }
        return new CompressionData("12.4", "Large HTML file (utf8, 83308 bytes)", false,
                fit(html.toString().getBytes(StandardCharsets.US_ASCII), 83_308));
    }

    private static CompressionData pdf() {
        SplittableRandom random = new SplittableRandom(1042);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1_100_000);
        out.writeBytes("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int obj = 1; out.size() < 1_042_328; obj++) {
            if (obj % 3 == 0) {
                byte[] stream = new byte[random.nextInt(2_000, 20_000)];
                random.nextBytes(stream); // an already compressed image or font stream
                out.writeBytes((obj + " 0 obj\n<< /Length " + stream.length + " /Filter /FlateDecode >>\nstream\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(stream);
                out.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                StringBuilder text = new StringBuilder(obj + " 0 obj\n<< /Type /Page /Parent 2 0 R /Contents ")
                        .append(obj + 1).append(" 0 R >>\nBT /F1 10 Tf\n");
                for (int i = 0; i < 40; i++) {
                    text.append(random.nextInt(40, 560)).append(' ').append(random.nextInt(40, 800))
                            .append(" Td (Measurement ").append(random.nextInt(1000)).append(" of the sample) Tj\n");
                }
                out.writeBytes(text.append("ET\nendobj\n").toString().getBytes(StandardCharsets.US_ASCII));
            }
        }
        return new CompressionData("12.5", "A larger PDF-like file (binary, 1042328 bytes)", true,
                fit(out.toByteArray(), 1_042_328));
    }

    private static byte[] jsonBytes(int size) {
        SplittableRandom random = new SplittableRandom(194);
        String[] names = {"Alice", "Bob", "Carol", "Dave", "Eve", "Mallory", "Trent", "Peggy", "Victor", "Walter"};
        String[] tags = {"\"new\"", "\"priority\"", "\"archived\"", "\"review\"", "\"export\""};
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; json.length() < size + 1000; i++) {
            json.append("  {\"id\": ").append(100_000 + i).append(", \"name\": \"").append(names[random.nextInt(10)])
                    .append(' ').append(names[random.nextInt(10)]).append("\", \"email\": \"user").append(i)
                    .append("@example.org\", \"active\": ").append(random.nextBoolean())
                    .append(", \"balance\": ").append(random.nextInt(1_000_000) / 100.0)
                    .append(", \"tags\": [").append(tags[random.nextInt(5)]).append(", ").append(tags[random.nextInt(5)])
                    .append("], \"location\": {\"lat\": ").append(random.nextInt(-90_000, 90_000) / 1000.0)
                    .append(", \"lon\": ").append(random.nextInt(-180_000, 180_000) / 1000.0).append("}},\n");
        }
        return fit(json.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    /** The first {@code size} bytes (the generators make a little more than needed). */
    private static byte[] fit(byte[] bytes, int size) {
        if (bytes.length < size) {
            throw new IllegalStateException("generated " + bytes.length + " bytes, need " + size);
        }
        return java.util.Arrays.copyOf(bytes, size);
    }

    private static int le(byte[] out, int p, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out[p + i] = (byte) (value >>> (8 * i));
        }
        return p + bytes;
    }
}
