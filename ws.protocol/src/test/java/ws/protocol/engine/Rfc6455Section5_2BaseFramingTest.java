package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.Hex;
import ws.protocol.Limits;
import ws.protocol.Opcode;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.engine.Engines.Feed;

/**
 * RFC 6455 section 5.2 through the engine: a frame that breaks a framing rule fails the connection
 * (section 7.1.7): a {@code Failed} event naming the rule, our close frame with the right code, a
 * {@code Closed} event, and no more input read. Both sides, fed whole and one byte at a time.
 */
@DisplayName("RFC 6455 section 5.2: base framing protocol, through the engine")
class Rfc6455Section5_2BaseFramingTest {

    /** Feeds {@code bytes}, then a valid text frame that must be ignored; asserts the failure and our close frame. */
    static CloseStatus assertFails(Protocol engine, Feed feed, byte[] bytes, int code) {
        feed.feed(engine, Hex.concat(bytes, Engines.fromPeer(engine.side(), 0x81, "ignored")));
        List<ProtocolEvent> events = engine.events();
        CloseStatus status = Engines.assertFailed(engine, events, code);
        assertEquals(2, events.size(), events::toString);
        List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
        assertEquals(1, sent.size());
        assertEquals(Opcode.CLOSE, sent.get(0).opcode());
        assertEquals(code, Engines.closeCode(sent.get(0)));
        // Further input is discarded.
        feed.feed(engine, Engines.fromPeer(engine.side(), 0x81, "late"));
        assertEquals(List.of(), engine.events());
        assertEquals(List.of(), engine.dataToSend());
        return status;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("RSV1, RSV2, RSV3 and each combination, with no extension negotiated: 1002")
    void rsvBits(Side side, Feed feed) {
        for (int rsv = 0x10; rsv <= 0x70; rsv += 0x10) {
            Protocol engine = Engines.open(side);
            CloseStatus status = assertFails(engine, feed, Engines.fromPeer(side, 0x80 | rsv | 0x2, new byte[] {1}),
                    CloseCodes.PROTOCOL_ERROR);
            assertTrue(status.reason().startsWith("RSV bits 0x" + Integer.toHexString(rsv)), status.reason());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("every reserved opcode, non-control 0x3-0x7 and control 0xB-0xF: 1002")
    void reservedOpcodes(Side side, Feed feed) {
        for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            Protocol engine = Engines.open(side);
            CloseStatus status = assertFails(engine, feed, Engines.fromPeer(side, 0x80 | opcode, new byte[0]), CloseCodes.PROTOCOL_ERROR);
            assertEquals("reserved opcode 0x" + Integer.toHexString(opcode), status.reason());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("section 5.1: a server fails unmasked frames, a client fails masked frames")
    void maskingPerSide(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        byte[] wrong = Hex.frame(0x81, "Hello".getBytes(), side == Side.CLIENT, 0x01020304);
        CloseStatus status = assertFails(engine, feed, wrong, CloseCodes.PROTOCOL_ERROR);
        assertEquals(side == Side.SERVER ? "client frame not masked (MASK 0)" : "server frame masked (MASK 1)", status.reason());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a non-minimal length encoding: 1002")
    void nonMinimalLength(Side side, Feed feed) {
        int mask = side == Side.SERVER ? 0x80 : 0;
        String key = side == Side.SERVER ? " 00 00 00 00" : "";
        Protocol engine = Engines.open(side);
        assertFails(engine, feed, Hex.bytes(String.format("82 %02x 00 05", mask | 126) + key + " 01 02 03 04 05"), CloseCodes.PROTOCOL_ERROR);
        engine = Engines.open(side);
        assertFails(engine, feed, Hex.bytes(String.format("82 %02x 00 00 00 00 00 00 01 00", mask | 127) + key), CloseCodes.PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a 64-bit length with the most significant bit set: 1002")
    void msbSet(Side side, Feed feed) {
        int mask = side == Side.SERVER ? 0x80 : 0;
        Protocol engine = Engines.open(side);
        assertFails(engine, feed, Hex.bytes(String.format("82 %02x ff ff ff ff ff ff ff ff", mask | 127)), CloseCodes.PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a frame above maxFramePayload: 1009 at the header, the payload never read")
    void aboveMaxFramePayload(Side side, Feed feed) {
        Protocol engine = Engines.open(side, Engines.config().withLimits(Limits.DEFAULT.withMaxFramePayload(1000)));
        byte[] frame = Engines.fromPeer(side, 0x82, new byte[1001]);
        CloseStatus status = assertFails(engine, feed, java.util.Arrays.copyOf(frame, side == Side.SERVER ? 8 : 4), CloseCodes.MESSAGE_TOO_BIG);
        assertEquals("frame payload 1001 > limit 1000", status.reason());
        Protocol exact = Engines.open(side, Engines.config().withLimits(Limits.DEFAULT.withMaxFramePayload(1000)));
        feed.feed(exact, Engines.fromPeer(side, 0x82, new byte[1000]));
        assertEquals(1, Engines.only(exact.events(), ProtocolEvent.BinaryMessage.class).size());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("section 5.5: a fragmented control frame and a control payload of 126 bytes: 1002")
    void controlFrameRules(Side side, Feed feed) {
        for (int opcode : new int[] {0x8, 0x9, 0xA}) {
            Protocol engine = Engines.open(side);
            assertFails(engine, feed, Engines.fromPeer(side, opcode, new byte[0]), CloseCodes.PROTOCOL_ERROR);
            engine = Engines.open(side);
            CloseStatus status = assertFails(engine, feed, Engines.fromPeer(side, 0x80 | opcode, new byte[126]), CloseCodes.PROTOCOL_ERROR);
            assertEquals("control frame payload 126 > 125", status.reason());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("length encodings at the 125/126 and 65535/65536 boundaries are received")
    void lengthBoundaries(Side side, Feed feed) {
        for (int n : new int[] {0, 125, 126, 65535, 65536}) {
            Protocol engine = Engines.open(side);
            byte[] payload = Hex.counting(n);
            (n > 1000 ? Feed.WHOLE : feed).feed(engine, Engines.fromPeer(side, 0x82, payload));
            ProtocolEvent.BinaryMessage message = (ProtocolEvent.BinaryMessage) engine.events().get(0);
            assertEquals(java.nio.ByteBuffer.wrap(payload), message.data(), "length " + n);
        }
    }
}
