package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseCodes;
import ws.protocol.Hex;
import ws.protocol.Limits;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.engine.Engines.Pair;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.internal.deflate.Bomb;
import ws.protocol.internal.deflate.Corpus;

/** permessage-deflate (RFC 7692) run by the real engines, handshake included. */
@DisplayName("RFC 7692 permessage-deflate through the engines")
class Rfc7692PerMessageDeflateEngineTest {

    private static ProtocolConfig with(PerMessageDeflate deflate) {
        return Engines.config().withExtensions(List.of(deflate));
    }

    private static byte[] roundTrip(Protocol from, Protocol to, byte[] message) {
        from.sendBinary(ByteBuffer.wrap(message));
        Engines.pump(from, to);
        List<ProtocolEvent> events = to.events();
        return Hex.bytes(assertInstanceOf(ProtocolEvent.BinaryMessage.class, events.get(0), events::toString).data());
    }

    @ParameterizedTest(name = "autoFragmentSize {0}")
    @ValueSource(ints = {0, 1, 100, 4096})
    @DisplayName("negotiated in the handshake; messages intact both ways, compressed on the wire, RSV1 on first frames only")
    void negotiatedAndRoundTrips(int autoFragmentSize) {
        PerMessageDeflate deflate = new PerMessageDeflate();
        Pair pair = Pair.open(with(deflate).withAutoFragmentSize(autoFragmentSize), with(deflate));
        assertEquals(List.of("permessage-deflate"), pair.client().extensions().stream().map(ExtensionParameters::format).toList());
        assertEquals(List.of("permessage-deflate"), pair.server().extensions().stream().map(ExtensionParameters::format).toList());
        Random random = new Random(autoFragmentSize);
        for (int i = 0; i < 6; i++) {
            byte[] json = Corpus.json(random, 2000 + random.nextInt(20_000));
            pair.client().sendBinary(ByteBuffer.wrap(json));
            byte[] wire = Hex.concat(pair.client().dataToSend());
            List<RecordingHandler.Frame> frames = Engines.parse(Side.CLIENT, wire, 0x40);
            assertEquals(0x40, frames.get(0).rsv());
            frames.subList(1, frames.size()).forEach(f -> assertEquals(0, f.rsv()));
            // The engine compresses the whole message once and fragments the compressed bytes.
            int payload = frames.stream().mapToInt(f -> f.payload().length).sum();
            assertTrue(payload < json.length / 2, "compressed " + payload + " for " + json.length);
            pair.server().receiveData(ByteBuffer.wrap(wire));
            assertArrayEquals(json, Hex.bytes(assertInstanceOf(ProtocolEvent.BinaryMessage.class, pair.server().events().get(0)).data()));
            assertArrayEquals(json, roundTrip(pair.server(), pair.client(), json));
        }
        String text = "héllo wörld ✓ ".repeat(200);
        pair.server().sendText(text);
        Engines.pump(pair.server(), pair.client());
        assertEquals(new ProtocolEvent.TextMessage(text), pair.client().events().get(0));
    }

    @Test
    @DisplayName("section 7.2.3.1 on the wire: a server's \"Hello\" is c1 07 f2 48 cd c9 c9 07 00; below the threshold it is 81 05 Hello")
    void helloOnTheWire() {
        Pair pair = Pair.open(with(PerMessageDeflate.builder().threshold(0).build()),
                with(PerMessageDeflate.builder().threshold(0).build()));
        pair.server().sendText("Hello");
        assertEquals("c1 07 f2 48 cd c9 c9 07 00", Hex.hex(Hex.concat(pair.server().dataToSend())));
        pair.server().sendText("Hello");
        assertEquals("c1 05 f2 00 11 00 00", Hex.hex(Hex.concat(pair.server().dataToSend())), "section 7.2.3.2");

        Pair defaults = Pair.open(with(new PerMessageDeflate()), with(new PerMessageDeflate()));
        defaults.server().sendText("Hello");
        assertEquals("81 05 48 65 6c 6c 6f", Hex.hex(Hex.concat(defaults.server().dataToSend())));
    }

    @ParameterizedTest(name = "window {0} bits")
    @ValueSource(ints = {8, 10, 12})
    @DisplayName("small windows asked of each side are agreed and honoured end to end")
    void smallWindows(int bits) {
        PerMessageDeflate client = PerMessageDeflate.builder().peerMaxWindowBits(bits).threshold(0).build();
        PerMessageDeflate server = PerMessageDeflate.builder().peerMaxWindowBits(bits).threshold(0).build();
        Pair pair = Pair.open(with(client), with(server));
        assertEquals("permessage-deflate; server_max_window_bits=" + bits + "; client_max_window_bits=" + bits,
                pair.server().extensions().get(0).format());
        Random random = new Random(bits);
        for (int i = 0; i < 5; i++) {
            byte[] m = Corpus.repetitive(random, 30_000);
            assertArrayEquals(m, roundTrip(pair.client(), pair.server(), m));
            assertArrayEquals(m, roundTrip(pair.server(), pair.client(), m));
        }
    }

    /** A server engine that agreed plain permessage-deflate with a raw client. */
    private static ServerProtocol rawServer(Limits limits) {
        ServerProtocol server = ServerProtocol.create(with(new PerMessageDeflate()).withLimits(limits));
        server.receiveData(ByteBuffer.wrap(Engines.request("dGhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertInstanceOf(ProtocolEvent.RequestReceived.class, server.events().get(0));
        server.accept("", HttpHeaders.empty());
        String response = new String(Hex.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
        assertTrue(response.contains("Sec-WebSocket-Extensions: permessage-deflate\r\n"), response);
        assertInstanceOf(ProtocolEvent.Opened.class, server.events().get(0));
        return server;
    }

    @Test
    @DisplayName("a decompression bomb (1 GiB of zeros in ~1 MiB) fails the connection with 1009 at the message limit")
    void bomb() {
        byte[] payload = Bomb.oneGibibyteOfZeros();
        ServerProtocol server = rawServer(Limits.DEFAULT.withMaxMessageSize(1 << 20));
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0xC2, payload)));
        Engines.assertFailed(server, server.events(), CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    @DisplayName("corrupt compressed data fails the connection with 1007")
    void corrupt() {
        ServerProtocol server = rawServer(Limits.DEFAULT);
        server.receiveData(ByteBuffer.wrap(Engines.fromPeer(Side.SERVER, 0xC1, Hex.bytes("ff ff ff ff"))));
        Engines.assertFailed(server, server.events(), CloseCodes.INVALID_PAYLOAD);
    }

    @Test
    @DisplayName("section 7.2.3.3 and 7.2.3.1 fragmented: a raw client's frames decode, fed one byte at a time")
    void rawFramesByteByByte() {
        ServerProtocol server = rawServer(Limits.DEFAULT);
        byte[] frames = Hex.concat(
                Engines.fromPeer(Side.SERVER, 0xC1, Hex.bytes("00 05 00 fa ff 48 65 6c 6c 6f 00")),
                Engines.fromPeer(Side.SERVER, 0x41, Hex.bytes("f2 48 cd")),
                Engines.fromPeer(Side.SERVER, 0x80, Hex.bytes("c9 c9 07 00")));
        Engines.Feed.BYTE_BY_BYTE.feed(server, frames);
        assertEquals(List.of(new ProtocolEvent.TextMessage("Hello"), new ProtocolEvent.TextMessage("Hello")), server.events());
    }
}
