package ws.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("RFC 6455 section 5.5.1: the close frame's payload")
class CloseFramesTest {

    static ProtocolViolationException parseFails(String hex) {
        return assertThrows(ProtocolViolationException.class, () -> CloseFrames.parse(ByteBuffer.wrap(Hex.bytes(hex))));
    }

    @Test
    @DisplayName("empty: 1005 no status received")
    void empty() throws Exception {
        assertEquals(new CloseStatus(1005, ""), CloseFrames.parse(ByteBuffer.allocate(0)));
    }

    @Test
    @DisplayName("one byte: 1002")
    void oneByte() {
        assertEquals(CloseCodes.PROTOCOL_ERROR, parseFails("03").closeCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    @DisplayName("valid codes parse, with their reason")
    void validCodes(int code) throws Exception {
        byte[] payload = Hex.concat(new byte[] {(byte) (code >> 8), (byte) code}, "ok".getBytes());
        assertEquals(new CloseStatus(code, "ok"), CloseFrames.parse(ByteBuffer.wrap(payload)));
        assertArrayEquals(payload, CloseFrames.payload(Side.CLIENT, code, "ok"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    @DisplayName("invalid codes: 1002 on receipt, IllegalArgumentException on sending")
    void invalidCodes(int code) {
        ProtocolViolationException e = parseFails(String.format("%02x %02x", code >> 8, code & 0xFF));
        assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
        assertEquals("close code " + code + " may not be sent on the wire", e.getMessage());
        for (Side side : Side.values()) {
            assertThrows(IllegalArgumentException.class, () -> CloseFrames.payload(side, code, ""));
        }
    }

    @Test
    @DisplayName("an invalid UTF-8 reason: 1007")
    void invalidReason() {
        assertEquals(CloseCodes.INVALID_PAYLOAD, parseFails("03 e8 ed a0 80").closeCode());
        assertEquals(CloseCodes.INVALID_PAYLOAD, parseFails("03 e8 e2 82").closeCode());
    }

    @Test
    @DisplayName("reasons of 123 bytes are sent, 124 refused; an unpaired surrogate refused")
    void reasonLength() {
        assertEquals(125, CloseFrames.payload(Side.SERVER, 1000, "x".repeat(123)).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloseFrames.payload(Side.SERVER, 1000, "x".repeat(124)));
        assertEquals("close reason of 124 UTF-8 bytes > 123", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CloseFrames.payload(Side.SERVER, 1000, "\uD800"));
    }

    @Test
    @DisplayName("truncate never cuts a character in half")
    void truncate() {
        assertEquals("abc", CloseFrames.truncate("abc", 3));
        assertEquals("ab", CloseFrames.truncate("abc", 2));
        assertEquals("é", CloseFrames.truncate("éé", 3));
        assertEquals("", CloseFrames.truncate("😀", 3));
    }
}
