package ws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("RFC 6455 section 8.1 (RFC 3629): UTF-8 validation, incremental and fail-fast")
class Utf8ValidatorTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("ASCII", "48 65 6c 6c 6f"),
                Arguments.of("U+0080 (smallest two-byte)", "c2 80"),
                Arguments.of("U+07FF (largest two-byte)", "df bf"),
                Arguments.of("U+0800 (smallest three-byte)", "e0 a0 80"),
                Arguments.of("U+D7FF (just below the surrogates)", "ed 9f bf"),
                Arguments.of("U+E000 (just above the surrogates)", "ee 80 80"),
                Arguments.of("U+FFFF", "ef bf bf"),
                Arguments.of("U+10000 (smallest four-byte)", "f0 90 80 80"),
                Arguments.of("U+10FFFF (largest code point)", "f4 8f bf bf"),
                Arguments.of("Hello-µ@ßöäüàá-UTF-8!!", Hex.hex("Hello-µ@ßöäüàá-UTF-8!!".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("κόσμε", "ce ba e1 bd b9 cf 83 ce bc ce b5"));
    }

    /** Invalid sequences with the index of the first byte that makes them impossible, or -1 when only the end is missing. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("stray continuation byte", "80", 0),
                Arguments.of("continuation after ASCII", "41 bf", 1),
                Arguments.of("overlong two-byte C0 80", "c0 80", 0),
                Arguments.of("overlong two-byte C1 BF", "c1 bf", 0),
                Arguments.of("overlong three-byte E0 80 80", "e0 80 80", 1),
                Arguments.of("overlong three-byte E0 9F BF", "e0 9f bf", 1),
                Arguments.of("overlong four-byte F0 8F BF BF", "f0 8f bf bf", 1),
                Arguments.of("surrogate U+D800 (ED A0 80)", "ed a0 80", 1),
                Arguments.of("surrogate U+DFFF (ED BF BF)", "ed bf bf", 1),
                Arguments.of("above U+10FFFF (F4 90 80 80)", "f4 90 80 80", 1),
                Arguments.of("F5 lead byte", "f5 80 80 80", 0),
                Arguments.of("FF byte", "41 42 ff", 2),
                Arguments.of("lead byte where a continuation belongs", "e1 80 41", 2),
                Arguments.of("truncated two-byte at the end", "41 c3", -1),
                Arguments.of("truncated four-byte at the end", "f0 9f 98", -1),
                Arguments.of("Autobahn 6.4.1: invalid after valid text", "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64", 12),
                Arguments.of("long ASCII run then an invalid byte", "41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 80", 17));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    @DisplayName("valid text is accepted whole and split at every byte position")
    void validSplitEverywhere(String name, String hex) {
        byte[] bytes = Hex.bytes(hex);
        assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(bytes)));
        for (int split = 0; split <= bytes.length; split++) {
            Utf8Validator validator = new Utf8Validator();
            assertEquals(-1, validator.feed(bytes, 0, split));
            assertEquals(-1, validator.feed(ByteBuffer.wrap(bytes, split, bytes.length - split)));
            assertTrue(validator.isComplete(), "split at " + split);
        }
        Utf8Validator oneByOne = new Utf8Validator();
        for (byte b : bytes) {
            assertEquals(-1, oneByOne.feed(new byte[] {b}, 0, 1));
        }
        assertTrue(oneByOne.isComplete());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    @DisplayName("invalid text fails at the first impossible byte, however it is split")
    void invalidFailsFast(String name, String hex, int failAt) {
        byte[] bytes = Hex.bytes(hex);
        assertFalse(Utf8Validator.isValid(ByteBuffer.wrap(bytes)));
        for (int split = 0; split <= bytes.length; split++) {
            Utf8Validator validator = new Utf8Validator();
            int first = validator.feed(bytes, 0, split);
            int second = validator.feed(bytes, split, bytes.length - split);
            if (failAt < 0) {
                assertEquals(-1, first);
                assertEquals(-1, second);
                assertFalse(validator.isComplete(), "incomplete at the end");
            } else if (failAt < split) {
                assertEquals(failAt, first, "split at " + split);
                assertTrue(validator.isFailed());
            } else {
                assertEquals(-1, first, "split at " + split);
                assertEquals(failAt - split, second, "split at " + split);
            }
        }
        // Direct buffers take the non-array path.
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        assertEquals(failAt, new Utf8Validator().feed(direct));
    }

    @Test
    @DisplayName("F4 90 fails at the second byte, before the rest arrives")
    void failsAtSecondByte() {
        Utf8Validator validator = new Utf8Validator();
        assertEquals(-1, validator.feed(Hex.bytes("f4"), 0, 1));
        assertEquals(0, validator.feed(Hex.bytes("90"), 0, 1));
        assertTrue(validator.isFailed());
        assertFalse(validator.isComplete());
        validator.reset();
        assertTrue(validator.isComplete());
    }

    @Test
    @DisplayName("every code point round-trips through the JDK encoder and is accepted")
    void everyCodePoint() {
        StringBuilder text = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 7)) {
            if (cp < 0xD800 || cp > 0xDFFF) {
                text.appendCodePoint(cp);
            }
        }
        assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /** Whether {@code bytes} decode with the JDK's strict decoder (malformed input reported, not replaced). */
    private static boolean jdkValid(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Continuations that complete any well-formed incomplete tail (1 to 3 bytes, boundary values). */
    private static final byte[][] COMPLETIONS;

    static {
        int[] edges = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};
        java.util.List<byte[]> list = new java.util.ArrayList<>();
        for (int a : edges) {
            list.add(new byte[] {(byte) a});
            for (int b : edges) {
                list.add(new byte[] {(byte) a, (byte) b});
                for (int c : edges) {
                    list.add(new byte[] {(byte) a, (byte) b, (byte) c});
                }
            }
        }
        COMPLETIONS = list.toArray(new byte[0][]);
    }

    /** Whether the first {@code n} bytes can begin some valid UTF-8 text, by the JDK decoder. */
    private static boolean jdkValidPrefix(byte[] bytes, int n) {
        if (jdkValid(bytes, n)) {
            return true;
        }
        for (byte[] tail : COMPLETIONS) {
            byte[] joined = java.util.Arrays.copyOf(bytes, n + tail.length);
            System.arraycopy(tail, 0, joined, n, tail.length);
            if (jdkValid(joined, joined.length)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first byte after which no valid text is possible, or -1: the JDK's verdict. */
    private static int jdkFirstBad(byte[] bytes) {
        if (jdkValidPrefix(bytes, bytes.length)) {
            return -1;
        }
        int good = 0; // a valid prefix length
        int bad = bytes.length; // an invalid prefix length
        while (bad - good > 1) {
            int mid = (good + bad) >>> 1;
            if (jdkValidPrefix(bytes, mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return bad - 1;
    }

    static Stream<Arguments> generated() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3629);
        String[] pieces = {"a", "0123456789abcdef0123456789abcdef", "µ", "ß", "€", "\uD83D\uDE00", "\u0800", "\uFFFF", "\uD7FF",
            "\uE000", "\u07FF", "\uDBFF\uDFFF", "\uD800\uDC00"};
        int[] bad = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x90, 0x8F};
        java.util.List<Arguments> cases = new java.util.ArrayList<>();
        for (int n = 0; n < 300; n++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int parts = random.nextInt(1, 12);
            for (int p = 0; p < parts; p++) {
                int pick = random.nextInt(10);
                if (pick < 4) {
                    // an ASCII run of 0..80 bytes: exercises the 32- and 8-byte skips and their tails
                    for (int k = random.nextInt(81); k > 0; k--) {
                        out.write(random.nextInt(0x20, 0x7F));
                    }
                } else if (pick < 8) {
                    out.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                } else if (n % 3 != 0) {
                    out.write(bad[random.nextInt(bad.length)]);
                }
            }
            cases.add(Arguments.of(n, out.toByteArray()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "input {0}")
    @MethodSource("generated")
    @DisplayName("generated text: the verdict and the failing index agree with the JDK decoder, split at every position, arrays and direct buffers")
    void agreesWithJdkDecoder(int n, byte[] bytes) {
        int expected = jdkFirstBad(bytes);
        boolean complete = expected < 0 && jdkValid(bytes, bytes.length);
        assertEquals(complete, Utf8Validator.isValid(bytes, 0, bytes.length), "whole");
        for (int split = 0; split <= bytes.length; split++) {
            for (boolean direct : new boolean[] {false, true}) {
                Utf8Validator validator = new Utf8Validator();
                int first;
                int second;
                if (direct) {
                    first = validator.feed(directCopy(bytes, 0, split));
                    second = validator.feed(directCopy(bytes, split, bytes.length));
                } else {
                    first = validator.feed(bytes, 0, split);
                    second = validator.feed(bytes, split, bytes.length - split);
                }
                String where = "split at " + split + (direct ? " (direct)" : " (array)");
                if (expected < 0) {
                    assertEquals(-1, first, where);
                    assertEquals(-1, second, where);
                    assertEquals(complete, validator.isComplete(), where);
                } else if (expected < split) {
                    assertEquals(expected, first, where);
                    assertEquals(0, second, where + ": stays failed");
                } else {
                    assertEquals(-1, first, where);
                    assertEquals(expected - split, second, where);
                }
                assertEquals(expected >= 0, validator.isFailed(), where);
            }
        }
    }

    private static ByteBuffer directCopy(byte[] bytes, int from, int to) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(to - from + 5);
        buffer.position(5).put(bytes, from, to - from).position(5); // a position that is not 0
        return buffer;
    }
}
