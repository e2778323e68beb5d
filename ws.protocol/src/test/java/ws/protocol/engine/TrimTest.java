package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;

/**
 * {@link Protocol#trim()}: what an idle connection lets go of between frames, and that it reads and
 * writes on exactly as before.
 */
class TrimTest {

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("between frames, trimmed: no frame reader or writer and no buffer kept; the next frames read and written as before")
    void anIdleConnectionHoldsNoFrameReaderOrWriter(Side side) {
        Protocol engine = Engines.open(side);
        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x89, "keepalive"))); // a ping, answered with a pong
        engine.events();
        engine.dataToSend();
        assertTrue(engine.connection.holdsFrameCoders(), "the ping was read and the pong written");

        engine.trim();
        assertFalse(engine.connection.holdsFrameCoders(), "an idle connection keeps neither");
        assertFalse(engine.connection.holdsOutput(), "nor an output: everything was drained");
        assertEquals(0, engine.retainedBytes());

        engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0x81, "hello")));
        ProtocolEvent.TextMessage text = assertInstanceOf(ProtocolEvent.TextMessage.class, engine.events().getFirst());
        assertEquals("hello", text.text());
        engine.sendText("back");
        List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals("back", sent.getFirst().text());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("output not yet drained when trimmed: the output stays, and is drained whole afterwards")
    void outputNotYetDrainedKeepsItsOutput(Side side) {
        Protocol engine = Engines.open(side);
        engine.sendText("queued");
        engine.trim();
        assertTrue(engine.connection.holdsOutput(), "the frame is still to be written");
        List<RecordingHandler.Frame> sent = Engines.sentFrames(engine);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals("queued", sent.getFirst().text());
        engine.trim();
        assertFalse(engine.connection.holdsOutput(), "drained: it goes");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("a frame half read when trimmed: its reader stays, and the rest of the frame completes it")
    void aFrameHalfReadKeepsItsReader(Side side) {
        Protocol engine = Engines.open(side);
        byte[] frame = Engines.fromPeer(side, 0x81, "hello");
        engine.receiveData(ByteBuffer.wrap(frame, 0, 3));
        engine.trim();
        assertTrue(engine.connection.holdsFrameCoders(), "the reader holds the frame's first bytes");
        engine.receiveData(ByteBuffer.wrap(frame, 3, frame.length - 3));
        ProtocolEvent.TextMessage text = assertInstanceOf(ProtocolEvent.TextMessage.class, engine.events().getFirst());
        assertEquals("hello", text.text());
    }
}
