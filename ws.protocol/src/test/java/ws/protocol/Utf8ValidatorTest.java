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
}
