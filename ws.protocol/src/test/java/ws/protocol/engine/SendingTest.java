package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ws.protocol.Hex;
import ws.protocol.Opcode;
import ws.protocol.PreparedMessage;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;

/** The sending half of the engine API: state checks, fragmentation, output accounting, zero-copy. */
@DisplayName("sending")
class SendingTest {

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("misuse during a partial message throws IllegalStateException and changes nothing")
    void partialMessageMisuse(Side side) {
        Protocol engine = Engines.open(side);
        engine.sendText("first part", false);
        long pending = engine.pendingOutputBytes();
        assertThrows(IllegalStateException.class, () -> engine.sendBinary(ByteBuffer.allocate(1), false));
        assertThrows(IllegalStateException.class, () -> engine.sendText("whole"));
        assertThrows(IllegalStateException.class, () -> engine.sendBinary(ByteBuffer.allocate(1)));
        assertThrows(IllegalStateException.class, () -> engine.sendPrepared(PreparedMessage.text("x")));
        assertEquals(pending, engine.pendingOutputBytes());
        engine.sendPing(ByteBuffer.allocate(0)); // control frames may interleave
        engine.sendText(" and the end", true);
        engine.sendBinary(ByteBuffer.allocate(1), false);
        assertThrows(IllegalStateException.class, () -> engine.sendText("x", true));
        List<RecordingHandler.Frame> frames = Engines.sentFrames(engine);
        assertEquals(List.of(Opcode.TEXT, Opcode.PING, Opcode.CONTINUATION, Opcode.BINARY),
                frames.stream().map(RecordingHandler.Frame::opcode).toList());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("autoFragmentSize splits whole and partial messages into frames of at most that many bytes")
    void autoFragment(Side side) {
        Protocol engine = Engines.open(side, Engines.config().withAutoFragmentSize(4));
        engine.sendText("0123456789");
        engine.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        engine.sendBinary(ByteBuffer.wrap(new byte[5]), false);
        engine.sendBinary(ByteBuffer.wrap(new byte[3]), true);
        List<RecordingHandler.Frame> frames = Engines.sentFrames(engine);
        assertEquals(List.of(Opcode.TEXT, Opcode.CONTINUATION, Opcode.CONTINUATION, Opcode.BINARY,
                        Opcode.BINARY, Opcode.CONTINUATION, Opcode.CONTINUATION),
                frames.stream().map(RecordingHandler.Frame::opcode).toList());
        assertEquals(List.of(4, 4, 2, 4, 4, 1, 3), frames.stream().map(f -> f.payload().length).toList());
        assertEquals(List.of(false, false, true, true, false, false, true), frames.stream().map(RecordingHandler.Frame::fin).toList());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("sendBinary consumes the buffer; pendingOutputBytes is exactly what dataToSend returns")
    void accounting(Side side) {
        Protocol engine = Engines.open(side);
        ByteBuffer data = ByteBuffer.wrap(new byte[100_000]);
        engine.sendBinary(data);
        assertEquals(0, data.remaining());
        engine.sendText("small");
        engine.sendPing(ByteBuffer.allocate(3));
        long pending = engine.pendingOutputBytes();
        List<ByteBuffer> out = engine.dataToSend();
        assertEquals(pending, out.stream().mapToLong(ByteBuffer::remaining).sum());
        assertEquals(0, engine.pendingOutputBytes());
        assertEquals(List.of(), engine.dataToSend());
    }

    @Test
    @DisplayName("a server queues a large binary payload as a view of the caller's buffer, after its header")
    void serverZeroCopy() {
        Protocol server = Engines.open(Side.SERVER);
        byte[] payload = Hex.counting(100_000);
        server.sendBinary(ByteBuffer.wrap(payload));
        List<ByteBuffer> out = server.dataToSend();
        assertEquals(2, out.size());
        assertEquals("82 7f 00 00 00 00 00 01 86 a0", Hex.hex(Hex.bytes(out.get(0))));
        assertSame(payload, out.get(1).array());
        assertArrayEquals(payload, Hex.bytes(out.get(1)));
    }

    @Test
    @DisplayName("a client copies (masking) even large payloads; small frames share one output buffer")
    void clientCopies() {
        Protocol client = Engines.open(Side.CLIENT);
        byte[] payload = Hex.counting(100_000);
        client.sendBinary(ByteBuffer.wrap(payload));
        List<ByteBuffer> out = client.dataToSend();
        assertEquals(1, out.size());
        assertNotSame(payload, out.get(0).array());
        for (int i = 0; i < 50; i++) {
            client.sendText("tick " + i);
        }
        assertEquals(1, client.dataToSend().size());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("nothing can be sent before the handshake or after the close")
    void stateChecks(Side side) {
        Protocol engine = Engines.open(side);
        engine.sendClose(1000, "");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.sendText("x"));
        assertEquals("cannot send: the connection is CLOSE_SENT (nothing may be sent after a close frame)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> engine.sendPong(ByteBuffer.allocate(0)));
        assertThrows(IllegalStateException.class, () -> engine.sendPrepared(PreparedMessage.text("x")));
        ServerProtocol fresh = ServerProtocol.create(Engines.config());
        assertThrows(IllegalStateException.class, () -> fresh.sendText("x"));
        assertThrows(IllegalStateException.class, () -> fresh.sendClose(1000, ""));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("drained output is never written over, until the driver says all of it was written (recycleOutput)")
    void recycleOutput(Side side) {
        Protocol engine = Engines.open(side);
        engine.sendText("first");
        List<ByteBuffer> first = engine.dataToSend();
        byte[] firstBytes = Hex.concat(List.of(first.get(0).duplicate()));
        engine.sendText("second");
        List<ByteBuffer> second = engine.dataToSend();
        assertArrayEquals(firstBytes, Hex.concat(List.of(first.get(0).duplicate())), "not written over without the word");
        assertSame(first.get(0).array(), second.get(0).array(), "small frames share one chunk");
        assertEquals(first.get(0).arrayOffset() + first.get(0).remaining(), second.get(0).arrayOffset(), "after the first");

        engine.recycleOutput(); // both were written
        engine.sendText("third");
        List<ByteBuffer> third = engine.dataToSend();
        assertSame(first.get(0).array(), third.get(0).array(), "no new buffer");
        assertEquals(0, third.get(0).arrayOffset(), "written from the start again");
        assertEquals("third", new String(Engines.parse(side, Hex.concat(third), 0).get(0).payload(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("recycleOutput while output is not yet drained changes nothing: those bytes still go out whole")
    void recycleOutputKeepsUndrained(Side side) {
        Protocol engine = Engines.open(side);
        engine.sendText("one");
        engine.dataToSend();
        engine.sendText("two");
        engine.recycleOutput(); // "two" is not drained: nothing may be written over
        engine.sendText("three");
        assertEquals(List.of("two", "three"), Engines.sentFrames(engine).stream()
                .map(f -> new String(f.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    @DisplayName("small texts, ASCII or not (found at any char), each one whole frame of its UTF-8 bytes")
    void smallTexts(Side side) {
        Protocol engine = Engines.open(side);
        List<String> texts = List.of("plain", "caf\u00e9", "\u00e9t\u00e9", "ascii then \uD83D\uDE00", "", "x".repeat(200));
        for (String text : texts) {
            engine.sendText(text);
        }
        List<RecordingHandler.Frame> frames = Engines.sentFrames(engine);
        assertEquals(texts, frames.stream().map(f -> new String(f.payload(), java.nio.charset.StandardCharsets.UTF_8)).toList());
        assertThrows(IllegalArgumentException.class, () -> engine.sendText("ascii then \uD800 unpaired"));
        assertEquals(0, engine.pendingOutputBytes(), "a refused text leaves nothing");
    }
}
