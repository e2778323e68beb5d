package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
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

/** RFC 6455 section 5.4: fragmentation, both sides, fed whole and one byte at a time. */
@DisplayName("RFC 6455 section 5.4: fragmentation")
class Rfc6455Section5_4FragmentationTest {

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a message in three fragments, with a ping and a pong between them, is one message; the ping is answered at once")
    void interleavedControlFrames(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        feed.feed(engine, Hex.concat(
                Engines.fromPeer(side, 0x02, new byte[] {1, 2}),
                Engines.fromPeer(side, 0x89, "p"),
                Engines.fromPeer(side, 0x00, new byte[] {3}),
                Engines.fromPeer(side, 0x8A, "q"),
                Engines.fromPeer(side, 0x80, new byte[] {4, 5})));
        List<ProtocolEvent> events = engine.events();
        assertEquals(3, events.size(), events::toString);
        assertInstanceOf(ProtocolEvent.Ping.class, events.get(0));
        assertInstanceOf(ProtocolEvent.Pong.class, events.get(1));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Hex.bytes(assertInstanceOf(ProtocolEvent.BinaryMessage.class, events.get(2)).data()));
        List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
        assertEquals(Opcode.PONG, sent.get(0).opcode());
        assertEquals("p", sent.get(0).text());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("empty fragments are allowed: an empty first frame, empty continuations, an empty final frame")
    void emptyFragments(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        feed.feed(engine, Hex.concat(
                Engines.fromPeer(side, 0x01, ""),
                Engines.fromPeer(side, 0x00, "ab"),
                Engines.fromPeer(side, 0x00, ""),
                Engines.fromPeer(side, 0x80, "")));
        assertEquals(List.of(new ProtocolEvent.TextMessage("ab")), engine.events());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a continuation frame with no message to continue: 1002")
    void continuationWithoutStart(Side side, Feed feed) {
        for (int first : new int[] {0x80, 0x00}) {
            Protocol engine = Engines.open(side);
            CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed,
                    Engines.fromPeer(side, first, "x"), CloseCodes.PROTOCOL_ERROR);
            assertEquals("continuation frame without a message to continue", status.reason());
        }
        // ... also right after a message ended.
        Protocol engine = Engines.open(side);
        feed.feed(engine, Engines.fromPeer(side, 0x81, "done"));
        assertEquals(List.of(new ProtocolEvent.TextMessage("done")), engine.events());
        Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed, Engines.fromPeer(side, 0x80, "x"), CloseCodes.PROTOCOL_ERROR);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a new text or binary frame inside an unfinished message: 1002")
    void newDataFrameInsideMessage(Side side, Feed feed) {
        for (int second : new int[] {0x81, 0x82, 0x01}) {
            Protocol engine = Engines.open(side);
            CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed,
                    Hex.concat(Engines.fromPeer(side, 0x01, "a"), Engines.fromPeer(side, second, "b")), CloseCodes.PROTOCOL_ERROR);
            assertEquals("new " + (second == 0x82 ? "BINARY" : "TEXT") + " frame inside an unfinished TEXT message (expected a continuation)",
                    status.reason());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("more fragments than maxFragmentsPerMessage: 1009; exactly the limit is fine")
    void fragmentLimit(Side side, Feed feed) {
        ProtocolConfig config = Engines.config().withLimits(Limits.DEFAULT.withMaxFragmentsPerMessage(3));
        Protocol engine = Engines.open(side, config);
        feed.feed(engine, Hex.concat(Engines.fromPeer(side, 0x01, "a"), Engines.fromPeer(side, 0x00, "b"), Engines.fromPeer(side, 0x80, "c")));
        assertEquals(List.of(new ProtocolEvent.TextMessage("abc")), engine.events());
        CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed, Hex.concat(
                Engines.fromPeer(side, 0x01, "a"), Engines.fromPeer(side, 0x00, "b"),
                Engines.fromPeer(side, 0x00, "c"), Engines.fromPeer(side, 0x80, "d")), CloseCodes.MESSAGE_TOO_BIG);
        assertEquals("message of more than 3 fragments", status.reason());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Side.class)
    @DisplayName("by default a message is bounded by its bytes, not its fragments: 300,000 one-byte fragments are one message")
    void manySmallFragmentsByDefault(Side side) {
        int fragments = 300_000;
        Protocol engine = Engines.open(side, Engines.config().withLimits(Limits.DEFAULT));
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fragments; i++) {
            int first = i == 0 ? 0x02 : i == fragments - 1 ? 0x80 : 0x00;
            wire.writeBytes(Engines.fromPeer(side, first, new byte[] {(byte) i}));
        }
        engine.receiveData(java.nio.ByteBuffer.wrap(wire.toByteArray()));
        List<ProtocolEvent> events = engine.events();
        assertEquals(1, events.size(), events.toString());
        ProtocolEvent.BinaryMessage message = (ProtocolEvent.BinaryMessage) events.get(0);
        assertEquals(fragments, message.data().remaining());
        assertEquals((byte) (fragments - 1), message.data().get(fragments - 1));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("a message over maxMessageSize: 1009 as soon as a frame header announces it")
    void messageSizeLimit(Side side, Feed feed) {
        ProtocolConfig config = Engines.config().withLimits(Limits.DEFAULT.withMaxMessageSize(300));
        Protocol engine = Engines.open(side, config);
        feed.feed(engine, Engines.fromPeer(side, 0x82, new byte[300]));
        assertEquals(1, engine.events().size());
        byte[] second = Engines.fromPeer(side, 0x80, new byte[101]);
        CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed, Hex.concat(
                Engines.fromPeer(side, 0x02, new byte[200]), java.util.Arrays.copyOf(second, second.length - 101)),
                CloseCodes.MESSAGE_TOO_BIG);
        assertEquals("message size 301 > limit 300", status.reason());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("our own fragments: partial sends give a first frame, continuations, FIN on the last")
    void partialSends(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        engine.sendBinary(ByteBuffer.wrap(new byte[] {1}), false);
        engine.sendPing(ByteBuffer.allocate(0));
        engine.sendBinary(ByteBuffer.wrap(new byte[] {2}), false);
        engine.sendBinary(ByteBuffer.wrap(new byte[] {3}), true);
        List<RecordingHandler.Frame> frames = Engines.sentFrames(engine);
        assertEquals(List.of(Opcode.BINARY, Opcode.PING, Opcode.CONTINUATION, Opcode.CONTINUATION),
                frames.stream().map(RecordingHandler.Frame::opcode).toList());
        assertEquals(List.of(false, true, false, true), frames.stream().map(RecordingHandler.Frame::fin).toList());
    }
}
