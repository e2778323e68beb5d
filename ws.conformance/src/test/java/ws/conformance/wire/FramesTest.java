package ws.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The suite's own codec: RFC 6455 section 5.2 base framing, both directions, whole and byte by byte. */
class FramesTest {

    /** Reads one byte per call, as a slow network would deliver. */
    static InputStream oneByteAtATime(byte[] bytes) {
        return new InputStream() {
            int p;

            @Override
            public int read() {
                return p < bytes.length ? bytes[p++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (p >= bytes.length) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                b[off] = bytes[p++];
                return 1;
            }
        };
    }

    @Nested
    class Rfc6455Section5_7Examples {
        @Test
        void unmaskedHello() throws IOException {
            byte[] wire = Frames.encode(true, 0, RawFrame.TEXT, Frames.utf8("Hello"), null);
            assertArrayEquals(Frames.hex("810548656c6c6f"), wire);
        }

        @Test
        void maskedHello() throws IOException {
            byte[] wire = Frames.encode(true, 0, RawFrame.TEXT, Frames.utf8("Hello"), Frames.hex("37fa213d"));
            assertArrayEquals(Frames.hex("818537fa213d7f9f4d5158"), wire);
            RawFrame f = new FrameReader(new ByteArrayInputStream(wire), 1 << 20).read();
            assertArrayEquals(Frames.utf8("Hello"), f.payload());
            assertTrue(f.masked());
        }

        @Test
        void fragmentedHello() {
            assertArrayEquals(Frames.hex("010348656c"), Frames.encode(false, 0, RawFrame.TEXT, Frames.utf8("Hel"), null));
            assertArrayEquals(Frames.hex("80026c6f"), Frames.encode(true, 0, 0, Frames.utf8("lo"), null));
        }

        @Test
        void binary256And65536UseTheLongerLengths() {
            byte[] b256 = Frames.encode(true, 0, RawFrame.BINARY, new byte[256], null);
            assertArrayEquals(Frames.hex("827e0100"), java.util.Arrays.copyOf(b256, 4));
            byte[] b64k = Frames.encode(true, 0, RawFrame.BINARY, new byte[65536], null);
            assertArrayEquals(Frames.hex("827f0000000000010000"), java.util.Arrays.copyOf(b64k, 10));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 128, 65535, 65536, 100_000})
    void roundTripsEveryLengthWholeAndByteByByte(int length) throws IOException {
        byte[] payload = Frames.repeat(Frames.utf8("abc"), length);
        for (byte[] key : new byte[][] {null, Frames.hex("01020304")}) {
            byte[] wire = Frames.encode(length % 2 == 0, length % 8, length % 16, payload, key);
            for (InputStream in : new InputStream[] {new ByteArrayInputStream(wire), oneByteAtATime(wire)}) {
                RawFrame f = new FrameReader(in, 1 << 20).read();
                assertEquals(length % 2 == 0, f.fin());
                assertEquals(length % 8, f.rsv());
                assertEquals(length % 16, f.opcode());
                assertArrayEquals(payload, f.payload());
                assertTrue(f.minimalLength());
                if (key == null) {
                    assertNull(f.maskKey());
                }
            }
        }
    }

    @Test
    void reportsNonMinimalLengths() throws IOException {
        RawFrame f16 = new FrameReader(new ByteArrayInputStream(Frames.hex("817e000548656c6c6f")), 100).read();
        assertFalse(f16.minimalLength());
        RawFrame f64 = new FrameReader(new ByteArrayInputStream(Frames.hex("817f000000000000000548656c6c6f")), 100)
                .read();
        assertFalse(f64.minimalLength());
    }

    @Test
    void refusesTooLongAndTruncatedFrames() {
        assertThrows(IOException.class, () -> new FrameReader(new ByteArrayInputStream(Frames.hex("827e0100")), 255)
                .read());
        assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(Frames.hex("8105")), 255)
                .read());
        assertThrows(EOFException.class, () -> new FrameReader(new ByteArrayInputStream(new byte[0]), 255).read());
    }

    @Test
    void closePayloadIsCodeThenReason() {
        assertArrayEquals(Frames.hex("03e8" + "6279"), Frames.closePayload(1000, Frames.utf8("by")));
    }
}
