package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.Hex;
import ws.protocol.Limits;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.engine.Engines.Pair;

/** The engine's fragment mode ({@link Protocol#deliverFragments()}): frames reported unassembled, checks kept. */
@DisplayName("fragment mode: data frames unassembled, after every check")
class FragmentDeliveryTest {

    private static ProtocolConfig deflate(Limits limits) {
        return Engines.config().withExtensions(List.of(new PerMessageDeflate())).withLimits(limits);
    }

    private static List<ProtocolEvent.Fragment> fragments(List<ProtocolEvent> events) {
        return Engines.only(events, ProtocolEvent.Fragment.class).stream().map(ProtocolEvent.Fragment.class::cast).toList();
    }

    @Test
    @DisplayName("RFC 7692 6.1: parts sent one by one are one compressed message, RSV1 on its first frame only; "
            + "each frame arrives inflated on its own")
    void partsThroughPermessageDeflate() {
        Limits limits = Limits.DEFAULT.withMaxMessageSize(4096); // each frame's inflated payload; not the message
        Pair pair = Pair.open(deflate(limits), deflate(limits));
        pair.server().deliverFragments();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            byte[] part = ("part " + i + " of a message larger than maxMessageSize ").repeat(80).substring(0, 3000).getBytes();
            sent.writeBytes(part);
            pair.client().sendBinary(ByteBuffer.wrap(part), i == 7);
        }
        byte[] wire = Hex.concat(pair.client().dataToSend());
        List<RecordingHandler.Frame> frames = Engines.parse(Side.CLIENT, wire, 0x40);
        assertEquals(8, frames.size());
        assertEquals(0x40, frames.get(0).rsv());
        frames.subList(1, 8).forEach(f -> assertEquals(0, f.rsv()));
        assertTrue(wire.length < sent.size() / 4, "compressed across parts: " + wire.length);

        pair.server().receiveData(ByteBuffer.wrap(wire));
        List<ProtocolEvent.Fragment> received = fragments(pair.server().events());
        assertEquals(8, received.size());
        ByteArrayOutputStream inflated = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            ProtocolEvent.Fragment f = received.get(i);
            assertEquals(i == 0, f.first());
            assertEquals(i == 7, f.last());
            assertFalse(f.text());
            inflated.writeBytes(Hex.bytes(f.data()));
        }
        assertArrayEquals(sent.toByteArray(), inflated.toByteArray());
        assertEquals(ProtocolState.OPEN, pair.server().state());
    }

    @Test
    @DisplayName("a frame inflating beyond maxMessageSize fails with 1009: a frame is held whole")
    void aFrameThatInflatesTooMuch() {
        Limits limits = Limits.DEFAULT.withMaxMessageSize(1024);
        Pair pair = Pair.open(deflate(Limits.DEFAULT), deflate(limits));
        pair.server().deliverFragments();
        pair.client().sendBinary(ByteBuffer.wrap(new byte[64 << 10]), false); // zeros: a tiny frame, 64 KiB inflated
        Engines.pump(pair.client(), pair.server());
        Engines.assertFailed(pair.server(), pair.server().events(), CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    @DisplayName("the message's inflated size is bounded by maxStreamedMessageSize (1009)")
    void aStreamedMessageThatInflatesTooMuch() {
        Limits limits = Limits.DEFAULT.withMaxStreamedMessageSize(10_000);
        Pair pair = Pair.open(deflate(Limits.DEFAULT), deflate(limits));
        pair.server().deliverFragments();
        pair.client().sendBinary(ByteBuffer.wrap(new byte[6000]), false);
        pair.client().sendBinary(ByteBuffer.wrap(new byte[6000]), true);
        Engines.pump(pair.client(), pair.server());
        List<ProtocolEvent> events = pair.server().events();
        assertEquals(1, fragments(events).size());
        Engines.assertFailed(pair.server(), events, CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    @DisplayName("RFC 6455 8.1: a text message's UTF-8 is checked across fragments; invalid bytes are never delivered")
    void utf8AcrossFragments() {
        Protocol server = Engines.open(Side.SERVER);
        server.deliverFragments();
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x01, new byte[] {'a', (byte) 0xf0, (byte) 0x9f})));
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x80, new byte[] {(byte) 0x98, (byte) 0x80})));
        List<ProtocolEvent.Fragment> ok = fragments(server.events());
        assertEquals(2, ok.size());
        assertTrue(ok.get(0).text() && ok.get(0).first() && !ok.get(0).last());
        assertTrue(ok.get(1).last());
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x01, new byte[] {'b', (byte) 0xe2})));
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x80, new byte[] {(byte) 0x82})));
        List<ProtocolEvent> events = server.events();
        assertEquals(1, fragments(events).size()); // "b" + e2; the message ends inside the character
        Engines.assertFailed(server, events, CloseCodes.INVALID_PAYLOAD);
    }

    @Test
    @DisplayName("a message larger than maxMessageSize passes frame by frame; the fragment count still applies")
    void sizeAndCountLimits() {
        Protocol server = Engines.open(Side.SERVER, Engines.config().withLimits(
                Limits.DEFAULT.withMaxMessageSize(100).withMaxFragmentsPerMessage(3)));
        server.deliverFragments();
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x02, new byte[90])));
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x00, new byte[90])));
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x00, new byte[90])));
        assertEquals(3, fragments(server.events()).size());
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0x00, new byte[1])));
        Engines.assertFailed(server, server.events(), CloseCodes.MESSAGE_TOO_BIG);
    }
}
