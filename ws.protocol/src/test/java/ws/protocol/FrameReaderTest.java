package ws.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("RFC 6455 section 5: the frame reader")
class FrameReaderTest {
    private static final int KEY = 0x37fa213d;

    /** Every (reading side, feeding) pair. */
    static Stream<Arguments> sidesAndFeeds() {
        return Stream.of(Side.values()).flatMap(side -> Stream.of(Arguments.of(side, false), Arguments.of(side, true)));
    }

    /** A frame as the peer of {@code reader} sends it: masked towards a server. */
    static byte[] fromPeer(Side reader, int first, byte[] payload) {
        return Hex.frame(first, payload, reader == Side.SERVER, KEY);
    }

    static List<RecordingHandler.Frame> read(Side side, int allowedRsv, int maxPayload, byte[] bytes, boolean oneByOne)
            throws ProtocolViolationException {
        RecordingHandler handler = new RecordingHandler();
        FrameReader reader = new FrameReader(side, allowedRsv, maxPayload, handler);
        RecordingHandler.feed(reader, bytes, oneByOne);
        assertTrue(reader.isBetweenFrames());
        return handler.frames;
    }

    static ProtocolViolationException violation(Side side, byte[] bytes, boolean oneByOne) {
        return violation(side, 0, Limits.DEFAULT.maxFramePayload(), bytes, oneByOne);
    }

    static ProtocolViolationException violation(Side side, int allowedRsv, int maxPayload, byte[] bytes, boolean oneByOne) {
        RecordingHandler handler = new RecordingHandler();
        FrameReader reader = new FrameReader(side, allowedRsv, maxPayload, handler);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> RecordingHandler.feed(reader, bytes, oneByOne));
        assertTrue(reader.isFailed());
        assertTrue(handler.frames.isEmpty(), "no frame reported");
        return e;
    }

    @Nested
    @DisplayName("5.7 examples")
    class Examples {
        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("a single-frame unmasked text message (client reads)")
        void unmaskedHello(boolean oneByOne) throws Exception {
            List<RecordingHandler.Frame> frames = read(Side.CLIENT, 0, 1000, Hex.bytes("81 05 48 65 6c 6c 6f"), oneByOne);
            assertEquals(1, frames.size());
            assertTrue(frames.get(0).fin());
            assertEquals(Opcode.TEXT, frames.get(0).opcode());
            assertEquals("Hello", frames.get(0).text());
        }

        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("a single-frame masked text message (server reads)")
        void maskedHello(boolean oneByOne) throws Exception {
            List<RecordingHandler.Frame> frames = read(Side.SERVER, 0, 1000,
                    Hex.bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), oneByOne);
            assertEquals("Hello", frames.get(0).text());
        }

        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("a fragmented unmasked text message: \"Hel\" then \"lo\"")
        void fragmented(boolean oneByOne) throws Exception {
            List<RecordingHandler.Frame> frames = read(Side.CLIENT, 0, 1000,
                    Hex.bytes("01 03 48 65 6c 80 02 6c 6f"), oneByOne);
            assertEquals(2, frames.size());
            assertFalse(frames.get(0).fin());
            assertEquals(Opcode.TEXT, frames.get(0).opcode());
            assertEquals("Hel", frames.get(0).text());
            assertTrue(frames.get(1).fin());
            assertEquals(Opcode.CONTINUATION, frames.get(1).opcode());
            assertEquals("lo", frames.get(1).text());
        }

        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("an unmasked ping and a masked pong, both \"Hello\"")
        void pingPong(boolean oneByOne) throws Exception {
            assertEquals(Opcode.PING, read(Side.CLIENT, 0, 1000, Hex.bytes("89 05 48 65 6c 6c 6f"), oneByOne).get(0).opcode());
            RecordingHandler.Frame pong = read(Side.SERVER, 0, 1000, Hex.bytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), oneByOne).get(0);
            assertEquals(Opcode.PONG, pong.opcode());
            assertEquals("Hello", pong.text());
        }

        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("256 bytes binary (16-bit length) and 64 KiB binary (64-bit length), unmasked")
        void binaryLengths(boolean oneByOne) throws Exception {
            byte[] small = Hex.counting(256);
            RecordingHandler.Frame frame = read(Side.CLIENT, 0, 1 << 20, Hex.concat(Hex.bytes("82 7E 01 00"), small), oneByOne).get(0);
            assertArrayEquals(small, frame.payload());
            if (!oneByOne) {
                byte[] big = Hex.counting(65536);
                frame = read(Side.CLIENT, 0, 1 << 20, Hex.concat(Hex.bytes("82 7F 00 00 00 00 00 01 00 00"), big), false).get(0);
                assertArrayEquals(big, frame.payload());
            }
        }
    }

    @Nested
    @DisplayName("5.2 base framing: RSV bits")
    class RsvBits {
        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("every RSV bit and combination without a negotiated extension is a protocol error (1002)")
        void rsvWithoutExtension(Side side, boolean oneByOne) {
            for (int rsv = 0x10; rsv <= 0x70; rsv += 0x10) {
                ProtocolViolationException e = violation(side, fromPeer(side, 0x80 | rsv | 0x1, "x".getBytes()), oneByOne);
                assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
                assertTrue(e.getMessage().contains("RSV bits 0x" + Integer.toHexString(rsv)), e.getMessage());
            }
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("an extension's RSV bit passes on data frames; the others still fail")
        void rsvOwnedByExtension(Side side, boolean oneByOne) throws Exception {
            List<RecordingHandler.Frame> frames = read(side, 0x40, 1000, fromPeer(side, 0xC1, "x".getBytes()), oneByOne);
            assertEquals(0x40, frames.get(0).rsv());
            assertEquals(CloseCodes.PROTOCOL_ERROR, violation(side, 0x40, 1000, fromPeer(side, 0xA1, "x".getBytes()), oneByOne).closeCode());
            assertEquals(CloseCodes.PROTOCOL_ERROR, violation(side, 0x40, 1000, fromPeer(side, 0x91, "x".getBytes()), oneByOne).closeCode());
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("RSV bits on a control frame fail even when an extension owns them")
        void rsvOnControlFrame(Side side, boolean oneByOne) {
            ProtocolViolationException e = violation(side, 0x70, 1000, fromPeer(side, 0xC9, new byte[0]), oneByOne);
            assertEquals("RSV bits 0x40 on a control frame (PING)", e.getMessage());
        }
    }

    @Nested
    @DisplayName("5.2 base framing: opcodes")
    class Opcodes {
        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("every reserved opcode (0x3-0x7, 0xB-0xF) is a protocol error, at the first byte")
        void reservedOpcodes(Side side, boolean oneByOne) {
            for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
                ProtocolViolationException e = violation(side, new byte[] {(byte) (0x80 | opcode)}, oneByOne);
                assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
                assertEquals("reserved opcode 0x" + Integer.toHexString(opcode), e.getMessage());
            }
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("5.5: control frames must not be fragmented")
        void controlNotFinal(Side side, boolean oneByOne) {
            for (int opcode : new int[] {8, 9, 0xA}) {
                ProtocolViolationException e = violation(side, fromPeer(side, opcode, new byte[0]), oneByOne);
                assertTrue(e.getMessage().endsWith("not final: FIN 0"), e.getMessage());
            }
        }
    }

    @Nested
    @DisplayName("5.2 base framing: payload length")
    class Lengths {
        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("125, 126, 65535 and 65536 bytes use 7, 16, 16 and 64-bit lengths and read back")
        void boundaries(Side side, boolean oneByOne) throws Exception {
            for (int n : new int[] {0, 1, 125, 126, 127, 65535, 65536}) {
                byte[] payload = Hex.counting(n);
                byte[] wire = fromPeer(side, 0x82, payload);
                int expectedHeader = (n < 126 ? 2 : n < 65536 ? 4 : 10) + (side == Side.SERVER ? 4 : 0);
                assertEquals(expectedHeader + n, wire.length);
                List<RecordingHandler.Frame> frames = read(side, 0, 1 << 20, wire, oneByOne && n < 1000);
                assertArrayEquals(payload, frames.get(0).payload(), "length " + n);
            }
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("a length that fits a shorter encoding is a protocol error")
        void nonMinimal(Side side, boolean oneByOne) {
            int mask = side == Side.SERVER ? 0x80 : 0;
            ProtocolViolationException e = violation(side, Hex.bytes(String.format("82 %02x 00 7d", mask | 126)), oneByOne);
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("payload length 125 in a 16-bit field (minimal encoding uses the 7-bit field)", e.getMessage());
            e = violation(side, Hex.bytes(String.format("82 %02x 00 00 00 00 00 00 ff ff", mask | 127)), oneByOne);
            assertEquals("payload length 65535 in a 64-bit field (minimal encoding uses a 16-bit field)", e.getMessage());
            e = violation(side, Hex.bytes(String.format("82 %02x 00 00 00 00 00 00 00 05", mask | 127)), oneByOne);
            assertEquals("payload length 5 in a 64-bit field (minimal encoding uses the 7-bit field)", e.getMessage());
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("a 64-bit length with its most significant bit set is a protocol error")
        void msbSet(Side side, boolean oneByOne) {
            int mask = side == Side.SERVER ? 0x80 : 0;
            ProtocolViolationException e = violation(side, Hex.bytes(String.format("82 %02x 80 00 00 00 00 00 00 00", mask | 127)), oneByOne);
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertTrue(e.getMessage().startsWith("64-bit payload length has its most significant bit set"), e.getMessage());
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("a payload above maxFramePayload is 1009, rejected at the header before any payload byte")
        void aboveLimit(Side side, boolean oneByOne) {
            int mask = side == Side.SERVER ? 0x80 : 0;
            // The header alone: no payload follows, the reader must not wait for it.
            ProtocolViolationException e = violation(side, 0, 1000,
                    Hex.bytes(String.format("82 %02x 03 e9", mask | 126) + (mask != 0 ? " 01 02 03 04" : "")), oneByOne);
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals("frame payload 1001 > limit 1000", e.getMessage());
            e = violation(side, Hex.bytes(String.format("82 %02x 7f ff ff ff ff ff ff ff", mask | 127)), oneByOne);
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
        }

        @ParameterizedTest(name = "{0}, one byte at a time: {1}")
        @MethodSource("ws.protocol.FrameReaderTest#sidesAndFeeds")
        @DisplayName("5.5: a control frame payload over 125 bytes is a protocol error")
        void controlTooLong(Side side, boolean oneByOne) {
            ProtocolViolationException e = violation(side, fromPeer(side, 0x89, new byte[126]), oneByOne);
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("control frame payload 126 > 125", e.getMessage());
        }
    }

    @Nested
    @DisplayName("5.1 masking per side")
    class Masking {
        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("a server fails an unmasked frame from a client")
        void serverRequiresMask(boolean oneByOne) {
            ProtocolViolationException e = violation(Side.SERVER, Hex.bytes("81 05 48 65 6c 6c 6f"), oneByOne);
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("client frame not masked (MASK 0)", e.getMessage());
        }

        @ParameterizedTest(name = "one byte at a time: {0}")
        @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
        @DisplayName("a client fails a masked frame from a server")
        void clientRequiresNoMask(boolean oneByOne) {
            ProtocolViolationException e = violation(Side.CLIENT, Hex.bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), oneByOne);
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("server frame masked (MASK 1)", e.getMessage());
        }
    }

    @Nested
    @DisplayName("streaming")
    class Streaming {
        @Test
        @DisplayName("many frames in one buffer, and the same bytes split at random points, read the same")
        void randomSplits() throws Exception {
            SplittableRandom random = new SplittableRandom(42);
            List<byte[]> payloads = new ArrayList<>();
            byte[] wire = new byte[0];
            for (int i = 0; i < 50; i++) {
                byte[] payload = new byte[random.nextInt(0, 70000 / (i + 1))];
                random.nextBytes(payload);
                payloads.add(payload);
                wire = Hex.concat(wire, Hex.frame(0x82, payload, true, random.nextInt()));
            }
            for (int round = 0; round < 5; round++) {
                RecordingHandler handler = new RecordingHandler();
                FrameReader reader = new FrameReader(Side.SERVER, 0, 1 << 20, handler);
                int at = 0;
                while (at < wire.length) {
                    int n = Math.min(wire.length - at, random.nextInt(1, 3000));
                    reader.feed(ByteBuffer.wrap(wire, at, n));
                    at += n;
                }
                assertEquals(payloads.size(), handler.frames.size());
                for (int i = 0; i < payloads.size(); i++) {
                    assertArrayEquals(payloads.get(i), handler.frames.get(i).payload());
                }
            }
        }

        @Test
        @DisplayName("after halt() the rest of the input is skipped")
        void halt() throws Exception {
            RecordingHandler handler = new RecordingHandler();
            FrameReader reader = new FrameReader(Side.CLIENT, 0, 1000, handler);
            reader.feed(ByteBuffer.wrap(Hex.bytes("81 01 41")));
            reader.halt();
            ByteBuffer rest = ByteBuffer.wrap(Hex.bytes("81 01 42"));
            reader.feed(rest);
            assertFalse(rest.hasRemaining());
            assertEquals(1, handler.frames.size());
        }
    }
}
