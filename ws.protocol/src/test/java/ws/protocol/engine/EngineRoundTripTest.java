package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.Hex;
import ws.protocol.PreparedMessage;
import ws.protocol.engine.Engines.Pair;

/** A client engine and a server engine talking to each other through their byte queues. */
@DisplayName("client and server engines end to end")
class EngineRoundTripTest {

    @Test
    @DisplayName("handshake, text and binary both ways, ping and pong, close handshake")
    void basicPath() {
        Pair pair = Pair.open(Engines.config(), Engines.config());
        ClientProtocol client = pair.client();
        ServerProtocol server = pair.server();

        client.sendText("hello server");
        client.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Engines.pump(client, server);
        List<ProtocolEvent> events = server.events();
        assertEquals(new ProtocolEvent.TextMessage("hello server"), events.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, Hex.bytes(assertInstanceOf(ProtocolEvent.BinaryMessage.class, events.get(1)).data()));

        server.sendText("hello client");
        server.sendPing(ByteBuffer.wrap(new byte[] {9}));
        Engines.pump(server, client);
        events = client.events();
        assertEquals(new ProtocolEvent.TextMessage("hello client"), events.get(0));
        assertInstanceOf(ProtocolEvent.Ping.class, events.get(1));
        Engines.pump(client, server); // the automatic pong
        ProtocolEvent.Pong pong = assertInstanceOf(ProtocolEvent.Pong.class, server.events().get(0));
        assertArrayEquals(new byte[] {9}, Hex.bytes(pong.payload()));

        client.sendClose(CloseCodes.NORMAL_CLOSURE, "bye");
        assertTrue(client.closeExpected());
        assertEquals(ProtocolState.CLOSE_SENT, client.state());
        Engines.pump(client, server);
        events = server.events();
        assertEquals(new ProtocolEvent.CloseReceived(new CloseStatus(1000, "bye")), events.get(0));
        assertEquals(new ProtocolEvent.Closed(new CloseStatus(1000, "bye")), events.get(1));
        assertEquals(ProtocolState.CLOSED, server.state());
        assertFalse(server.closeExpected());
        Engines.pump(server, client); // the echo
        events = client.events();
        assertEquals(new ProtocolEvent.CloseReceived(new CloseStatus(1000, "")), events.get(0));
        assertEquals(new ProtocolEvent.Closed(new CloseStatus(1000, "")), events.get(1));
        assertEquals(ProtocolState.CLOSED, client.state());
        assertFalse(client.closeExpected());
        client.receiveEof();
        server.receiveEof();
        assertEquals(List.of(), client.events());
        assertEquals(List.of(), server.events());
    }

    @ParameterizedTest(name = "autoFragmentSize {0}")
    @ValueSource(ints = {0, 1, 7, 1000})
    @DisplayName("random messages of random sizes arrive intact both ways (seeded masks, random read sizes)")
    void randomMessages(int autoFragmentSize) {
        SplittableRandom random = new SplittableRandom(autoFragmentSize);
        ProtocolConfig config = Engines.config().withAutoFragmentSize(autoFragmentSize);
        Pair pair = Pair.open(config, config.withRandom(new SplittableRandom(99)));
        for (Protocol from : List.of(pair.client(), pair.server())) {
            Protocol to = from == pair.client() ? pair.server() : pair.client();
            List<ProtocolEvent> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int size = random.nextInt(0, i % 10 == 0 ? 70_000 : 300);
                if (random.nextBoolean()) {
                    StringBuilder text = new StringBuilder();
                    while (text.length() < size) {
                        text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80, 0xD800) : random.nextInt(0x20, 0x7F));
                    }
                    from.sendText(text);
                    expected.add(new ProtocolEvent.TextMessage(text.toString()));
                } else {
                    byte[] data = new byte[size];
                    random.nextBytes(data);
                    from.sendBinary(ByteBuffer.wrap(data));
                    expected.add(new ProtocolEvent.BinaryMessage(ByteBuffer.wrap(data)));
                }
            }
            byte[] wire = Hex.concat(from.dataToSend());
            for (int at = 0; at < wire.length; ) {
                int n = Math.min(wire.length - at, random.nextInt(1, 5000));
                to.receiveData(ByteBuffer.wrap(wire, at, n));
                at += n;
            }
            assertEquals(expected, to.events());
        }
    }

    @Test
    @DisplayName("a 5 MiB message (buffers growing past 1 MiB as bytes arrive), with and without an extension, in 64 KiB reads")
    void largeMessages() {
        byte[] payload = new byte[5 << 20];
        new SplittableRandom(1).nextBytes(payload);
        for (boolean extension : new boolean[] {false, true}) {
            ProtocolConfig config = extension ? Engines.config().withExtensions(List.of(new ReversingExtension.Factory())) : Engines.config();
            Pair pair = Pair.open(config, config);
            pair.client().sendBinary(ByteBuffer.wrap(payload), false);
            pair.client().sendBinary(ByteBuffer.wrap(payload, 0, 3), true);
            byte[] wire = Hex.concat(pair.client().dataToSend());
            for (int at = 0; at < wire.length; at += 65536) {
                pair.server().receiveData(ByteBuffer.wrap(wire, at, Math.min(65536, wire.length - at)));
            }
            ProtocolEvent.BinaryMessage message = assertInstanceOf(ProtocolEvent.BinaryMessage.class, pair.server().events().get(0));
            ByteBuffer expected = ByteBuffer.allocate(payload.length + 3).put(payload).put(payload, 0, 3).flip();
            assertEquals(expected, message.data(), "extension " + extension);
        }
    }

    @Test
    @DisplayName("input in direct and read-only buffers is read, and never modified (masked input is unmasked while copying)")
    void inputBuffersUntouched() {
        Pair pair = Pair.open(Engines.config(), Engines.config());
        pair.client().sendText("masked on the wire");
        pair.client().sendBinary(ByteBuffer.wrap(Hex.counting(3000)));
        byte[] wire = Hex.concat(pair.client().dataToSend());
        byte[] copy = wire.clone();
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        pair.server().receiveData(direct.slice(0, 100));
        pair.server().receiveData(ByteBuffer.wrap(wire, 100, wire.length - 100).asReadOnlyBuffer());
        assertArrayEquals(copy, wire);
        byte[] directAfter = new byte[wire.length];
        direct.get(0, directAfter);
        assertArrayEquals(copy, directAfter);
        List<ProtocolEvent> events = pair.server().events();
        assertEquals(new ProtocolEvent.TextMessage("masked on the wire"), events.get(0));
        assertEquals(new ProtocolEvent.BinaryMessage(ByteBuffer.wrap(Hex.counting(3000))), events.get(1));
    }

    @Test
    @DisplayName("a prepared message: the shared server frame on a server, masked from the payload on a client")
    void prepared() {
        Pair pair = Pair.open(Engines.config(), Engines.config());
        PreparedMessage message = PreparedMessage.text("broadcast");
        pair.server().sendPrepared(message);
        List<ByteBuffer> out = pair.server().dataToSend();
        assertEquals(Hex.hex(Hex.bytes(message.serverFrame())), Hex.hex(Hex.concat(out)));
        pair.client().receiveData(out.get(0));
        assertEquals(List.of(new ProtocolEvent.TextMessage("broadcast")), pair.client().events());
        pair.client().sendPrepared(PreparedMessage.binary(ByteBuffer.wrap(new byte[] {4, 5})));
        Engines.pump(pair.client(), pair.server());
        assertEquals(List.of(new ProtocolEvent.BinaryMessage(ByteBuffer.wrap(new byte[] {4, 5}))), pair.server().events());
    }
}
