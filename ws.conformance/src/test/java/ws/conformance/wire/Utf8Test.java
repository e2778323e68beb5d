package ws.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The suite's UTF-8 validator (RFC 3629), checked against the JDK's strict decoder. */
class Utf8Test {

    @Test
    void agreesWithTheJdkOnEveryTwoByteCombinationAndEveryCodePoint() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                byte[] bytes = {(byte) a, (byte) b};
                assertEquals(jdkValid(bytes), Utf8.isValid(bytes), "0x" + java.util.HexFormat.of().formatHex(bytes));
            }
        }
        for (int cp = 0; cp <= 0x10FFFF; cp += cp < 0x10000 ? 1 : 97) {
            byte[] bytes = encode(cp);
            boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
            assertEquals(!surrogate, Utf8.isValid(bytes), "U+" + Integer.toHexString(cp));
        }
    }

    @Test
    void surrogatesOverlongsAndOutOfRangeAreInvalidNonCharactersValid() {
        assertFalse(Utf8.isValid(Frames.hex("eda080")));
        assertFalse(Utf8.isValid(Frames.hex("c0af")));
        assertFalse(Utf8.isValid(Frames.hex("f4908080")));
        assertFalse(Utf8.isValid(Frames.hex("f888808080")));
        assertTrue(Utf8.isValid(Frames.hex("efbfbe")));
        assertTrue(Utf8.isValid(Frames.hex("f48fbfbf")));
    }

    @Test
    void firstInvalidPointsAtTheFailingByteOrTheEndForAnIncompletePrefix() {
        byte[] kosmeThenBad = Frames.hex("cebae1bdb9cf83cebcceb5f4908080");
        assertEquals(12, Utf8.firstInvalid(kosmeThenBad, 0, kosmeThenBad.length));
        byte[] incomplete = Frames.hex("cebae1bd");
        assertEquals(4, Utf8.firstInvalid(incomplete, 0, 4));
        assertEquals(-1, Utf8.firstInvalid(incomplete, 0, 2));
    }

    /** UTF-8 encoding of any code point, surrogates included (the JDK would replace those with '?'). */
    private static byte[] encode(int cp) {
        if (cp < 0x80) {
            return new byte[] {(byte) cp};
        }
        if (cp < 0x800) {
            return new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
        }
        if (cp < 0x10000) {
            return new byte[] {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
        }
        return new byte[] {(byte) (0xF0 | cp >> 18), (byte) (0x80 | cp >> 12 & 0x3F), (byte) (0x80 | cp >> 6 & 0x3F),
            (byte) (0x80 | cp & 0x3F)};
    }

    private static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
