package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ws.protocol.Hex;
import ws.protocol.Side;
import ws.protocol.engine.Engines.Feed;

/** RFC 6455 section 5.7, every example, byte for byte, in both directions. */
@DisplayName("RFC 6455 section 5.7: examples")
class Rfc6455Section5_7ExamplesTest {

    private static final byte[] HELLO = "Hello".getBytes();

    private static Protocol clientWithKey37fa213d() {
        return Engines.open(Side.CLIENT, Engines.config().withRandom(Engines.fixedKey(0x37fa213d)));
    }

    @Test
    @DisplayName("a single-frame unmasked text message: a server sends 0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f")
    void serverSendsUnmaskedHello() {
        Protocol server = Engines.open(Side.SERVER);
        server.sendText("Hello");
        assertEquals("81 05 48 65 6c 6c 6f", Hex.hex(Hex.concat(server.dataToSend())));
    }

    @Test
    @DisplayName("a single-frame masked text message: a client with key 37 fa 21 3d sends 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58")
    void clientSendsMaskedHello() {
        Protocol client = clientWithKey37fa213d();
        client.sendText("Hello");
        assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58", Hex.hex(Hex.concat(client.dataToSend())));
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    @DisplayName("the unmasked \"Hello\" is received by a client, the masked one by a server")
    void receiveHello(Feed feed) {
        Protocol client = Engines.open(Side.CLIENT);
        feed.feed(client, Hex.bytes("81 05 48 65 6c 6c 6f"));
        assertEquals(List.of(new ProtocolEvent.TextMessage("Hello")), client.events());
        Protocol server = Engines.open(Side.SERVER);
        feed.feed(server, Hex.bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        assertEquals(List.of(new ProtocolEvent.TextMessage("Hello")), server.events());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    @DisplayName("a fragmented unmasked text message: 0x01 0x03 0x48 0x65 0x6c (\"Hel\"), 0x80 0x02 0x6c 0x6f (\"lo\")")
    void fragmented(Feed feed) {
        Protocol server = Engines.open(Side.SERVER);
        server.sendText("Hel", false);
        server.sendText("lo", true);
        byte[] wire = Hex.concat(server.dataToSend());
        assertEquals("01 03 48 65 6c 80 02 6c 6f", Hex.hex(wire));
        Protocol client = Engines.open(Side.CLIENT);
        feed.feed(client, wire);
        assertEquals(List.of(new ProtocolEvent.TextMessage("Hello")), client.events());
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    @DisplayName("an unmasked ping \"Hello\" (0x89 0x05 ...) and the masked pong that answers it (0x8a 0x85 ...)")
    void pingAndPong(Feed feed) {
        Protocol server = Engines.open(Side.SERVER);
        server.sendPing(ByteBuffer.wrap(HELLO));
        byte[] ping = Hex.concat(server.dataToSend());
        assertEquals("89 05 48 65 6c 6c 6f", Hex.hex(ping));

        Protocol client = clientWithKey37fa213d();
        feed.feed(client, ping);
        List<ProtocolEvent> events = client.events();
        ProtocolEvent.Ping received = assertInstanceOf(ProtocolEvent.Ping.class, events.get(0));
        assertArrayEquals(HELLO, Hex.bytes(received.payload()));
        assertEquals("8a 85 37 fa 21 3d 7f 9f 4d 51 58", Hex.hex(Hex.concat(client.dataToSend())), "the automatic pong");
    }

    @Test
    @DisplayName("256 bytes binary in a single unmasked frame: 0x82 0x7E 0x0100 [256 bytes]")
    void binary256() {
        Protocol server = Engines.open(Side.SERVER);
        server.sendBinary(ByteBuffer.wrap(Hex.counting(256)));
        byte[] wire = Hex.concat(server.dataToSend());
        assertEquals("82 7e 01 00", Hex.hex(java.util.Arrays.copyOf(wire, 4)));
        assertEquals(4 + 256, wire.length);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    @DisplayName("64 KiB binary in a single unmasked frame: 0x82 0x7F 0x0000000000010000 [65536 bytes], and received")
    void binary64KiB(Feed feed) {
        Protocol server = Engines.open(Side.SERVER);
        byte[] payload = Hex.counting(65536);
        server.sendBinary(ByteBuffer.wrap(payload));
        byte[] wire = Hex.concat(server.dataToSend());
        assertEquals("82 7f 00 00 00 00 00 01 00 00", Hex.hex(java.util.Arrays.copyOf(wire, 10)));
        assertEquals(10 + 65536, wire.length);
        Protocol client = Engines.open(Side.CLIENT);
        feed.feed(client, wire);
        ProtocolEvent.BinaryMessage message = assertInstanceOf(ProtocolEvent.BinaryMessage.class, client.events().get(0));
        assertArrayEquals(payload, Hex.bytes(message.data()));
    }
}
