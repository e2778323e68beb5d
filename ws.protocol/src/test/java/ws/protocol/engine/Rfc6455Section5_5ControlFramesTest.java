package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.Hex;
import ws.protocol.Opcode;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.engine.Engines.Feed;

/** RFC 6455 sections 5.5.2 (ping) and 5.5.3 (pong); close is in {@link Rfc6455Section7ClosingTest}. */
@DisplayName("RFC 6455 section 5.5: control frames")
class Rfc6455Section5_5ControlFramesTest {

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("5.5.2: a ping is answered with a pong carrying the same application data (0, 1 and 125 bytes)")
    void pingAnswered(Side side, Feed feed) {
        for (int n : new int[] {0, 1, 125}) {
            Protocol engine = Engines.open(side);
            byte[] payload = Hex.counting(n);
            feed.feed(engine, Engines.fromPeer(side, 0x89, payload));
            ProtocolEvent.Ping ping = assertInstanceOf(ProtocolEvent.Ping.class, engine.events().get(0));
            assertArrayEquals(payload, Hex.bytes(ping.payload()));
            List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
            assertEquals(1, sent.size());
            assertEquals(Opcode.PONG, sent.get(0).opcode());
            assertArrayEquals(payload, sent.get(0).payload());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("5.5.3: an unsolicited pong is reported and not answered")
    void unsolicitedPong(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        feed.feed(engine, Engines.fromPeer(side, 0x8A, "beat"));
        ProtocolEvent.Pong pong = assertInstanceOf(ProtocolEvent.Pong.class, engine.events().get(0));
        assertEquals(ByteBuffer.wrap("beat".getBytes()), pong.payload());
        assertEquals(List.of(), engine.dataToSend());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
    @DisplayName("after our close is sent, a ping is still reported but not answered (nothing is sent after a close)")
    void pingAfterClose(Side side, Feed feed) {
        Protocol engine = Engines.open(side);
        engine.sendClose(CloseCodes.NORMAL_CLOSURE, "");
        engine.dataToSend();
        feed.feed(engine, Engines.fromPeer(side, 0x89, "late"));
        assertInstanceOf(ProtocolEvent.Ping.class, engine.events().get(0));
        assertEquals(List.of(), engine.dataToSend());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("sending: ping and pong payloads of 125 bytes are fine, 126 is the caller's error and changes nothing")
    void sendLimits(Side side) {
        Protocol engine = Engines.open(side);
        engine.sendPing(ByteBuffer.allocate(125));
        engine.sendPong(ByteBuffer.allocate(125));
        assertEquals(2, Engines.sentFrames(engine).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.sendPing(ByteBuffer.allocate(126)));
        assertEquals("PING payload 126 > 125", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> engine.sendPong(ByteBuffer.allocate(126)));
        assertEquals(0, engine.pendingOutputBytes());
        assertEquals(ProtocolState.OPEN, engine.state());
    }
}
