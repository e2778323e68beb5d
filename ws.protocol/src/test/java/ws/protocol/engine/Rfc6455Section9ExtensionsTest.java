package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.Hex;
import ws.protocol.Limits;
import ws.protocol.Opcode;
import ws.protocol.RecordingHandler;
import ws.protocol.Side;
import ws.protocol.engine.Engines.Feed;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HttpHeaders;

/**
 * RFC 6455 section 9 (and 5.2 "RSV1, RSV2, RSV3: MUST be 0 unless an extension is negotiated that
 * defines meanings"): negotiation on both sides and the extension hooks on data frames, with the
 * test-only {@link ReversingExtension} that owns RSV1.
 */
@DisplayName("RFC 6455 section 9: extensions")
class Rfc6455Section9ExtensionsTest {

    static ProtocolConfig withReverse(ReversingExtension.Factory factory) {
        return Engines.config().withExtensions(List.of(factory));
    }

    /** An opened engine of {@code side} running one ReversingExtension. */
    static Protocol openWithExtension(Side side, ReversingExtension extension, Limits limits) {
        ProtocolConfig config = Engines.config().withLimits(limits);
        List<Extension> extensions = List.of(extension);
        return side == Side.SERVER ? ServerProtocolImpl.opened(config, extensions) : ClientProtocolImpl.opened(config, extensions);
    }

    static ReversingExtension extension() {
        return new ReversingExtension(new ExtensionParameters(ReversingExtension.NAME));
    }

    @Nested
    @DisplayName("9.1 negotiation")
    class Negotiation {
        @Test
        @DisplayName("client offers, server accepts; both report the agreed extension, and the data flows through it")
        void agreed() {
            ReversingExtension.Factory clientFactory = new ReversingExtension.Factory();
            ReversingExtension.Factory serverFactory = new ReversingExtension.Factory();
            Engines.Pair pair = Engines.Pair.open(withReverse(clientFactory), withReverse(serverFactory));
            assertEquals("x-reverse", pair.client().request().headers().first("Sec-WebSocket-Extensions").orElseThrow());
            assertEquals(List.of(new ExtensionParameters("x-reverse")), pair.client().extensions());
            assertEquals(List.of(new ExtensionParameters("x-reverse")), pair.server().extensions());

            pair.client().sendText("abc");
            List<ByteBuffer> wire = pair.client().dataToSend();
            RecordingHandler.Frame frame = Engines.parse(Side.CLIENT, Hex.concat(wire), 0x40).get(0);
            assertEquals(0x40, frame.rsv());
            assertEquals("cba", frame.text());
            wire.forEach(pair.server()::receiveData);
            assertEquals(List.of(new ProtocolEvent.TextMessage("abc")), pair.server().events());

            pair.server().sendClose(1000, "");
            Engines.pump(pair.server(), pair.client());
            Engines.pump(pair.client(), pair.server());
            assertEquals(1, clientFactory.made.get(0).closes, "closed with the connection");
            assertEquals(1, serverFactory.made.get(0).closes);
        }

        @Test
        @DisplayName("server: the client's offers are grouped by name and answered in the client's order; unknown ones are ignored")
        void serverGroupsOffers() {
            ReversingExtension.Factory factory = new ReversingExtension.Factory();
            ServerProtocol server = ServerProtocol.create(withReverse(factory));
            server.receiveData(ByteBuffer.wrap(Engines.request("dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Extensions: x-unknown, x-reverse; refuse, x-other\r\nSec-WebSocket-Extensions: x-reverse; level=2\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)));
            server.events();
            server.accept("", HttpHeaders.empty());
            assertEquals(List.of(new ExtensionParameters("x-reverse").with("refuse", null),
                    new ExtensionParameters("x-reverse").with("level", "2")), factory.lastOffers);
            ProtocolEvent.Opened opened = assertInstanceOf(ProtocolEvent.Opened.class, server.events().get(0));
            assertEquals(List.of(new ExtensionParameters("x-reverse").with("level", "2")), opened.extensions());
            String response = new String(Hex.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
            assertTrue(response.contains("Sec-WebSocket-Extensions: x-reverse; level=2\r\n"), response);
        }

        @Test
        @DisplayName("server: no configured factory, or every offer declined: no extension, no header")
        void serverDeclines() {
            ServerProtocol server = ServerProtocol.create(withReverse(new ReversingExtension.Factory()));
            server.receiveData(ByteBuffer.wrap(Engines.request("dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Extensions: x-reverse; refuse\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            server.events();
            server.accept("", HttpHeaders.empty());
            assertEquals(List.of(), server.extensions());
            String response = new String(Hex.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
            assertTrue(!response.contains("Sec-WebSocket-Extensions"), response);
        }

        /** A client offering x-reverse that receives a 101 with these extra headers. */
        static List<ProtocolEvent> clientReceives(ReversingExtension.Factory factory, String extensionHeader) {
            ClientProtocol client = ClientProtocol.create(withReverse(factory), URI.create("ws://h/"), List.of(), HttpHeaders.empty());
            String key = client.request().headers().first("Sec-WebSocket-Key").orElseThrow();
            client.receiveData(ByteBuffer.wrap(Engines.response(key, HttpHeaders.of("Sec-WebSocket-Extensions", extensionHeader))));
            return client.events();
        }

        @Test
        @DisplayName("client: a response naming an extension that was not offered fails the handshake (4.1)")
        void clientRefusesUnoffered() {
            List<ProtocolEvent> events = clientReceives(new ReversingExtension.Factory(), "x-other");
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertEquals(0, rejected.error().status());
            assertEquals("the server agreed to extension x-other, which was not offered", rejected.error().getMessage());
            assertEquals(1006, assertInstanceOf(ProtocolEvent.Closed.class, events.get(1)).status().code());
        }

        @Test
        @DisplayName("client: the same extension twice fails the handshake, and the extension made is closed")
        void clientRefusesDuplicate() {
            ReversingExtension.Factory factory = new ReversingExtension.Factory();
            List<ProtocolEvent> events = clientReceives(factory, "x-reverse, x-reverse");
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertEquals("the server agreed to extension x-reverse more than once", rejected.error().getMessage());
            assertEquals(1, factory.made.get(0).closes);
        }

        @Test
        @DisplayName("client: parameters the factory refuses fail the handshake; a malformed header too")
        void clientRefusesParameters() {
            List<ProtocolEvent> events = clientReceives(new ReversingExtension.Factory(), "x-reverse; refuse");
            assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            events = clientReceives(new ReversingExtension.Factory(), "x-reverse;;");
            assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertInstanceOf(ProtocolEvent.Closed.class, events.get(1));
        }

        @Test
        @DisplayName("client: a factory with no offers is not offered, and its extension may not be agreed")
        void clientNoOffers() {
            ReversingExtension.Factory silent = new ReversingExtension.Factory(List.of());
            ClientProtocol client = ClientProtocol.create(withReverse(silent), URI.create("ws://h/"), List.of(), HttpHeaders.empty());
            assertTrue(client.request().headers().first("Sec-WebSocket-Extensions").isEmpty());
            assertInstanceOf(ProtocolEvent.Rejected.class, clientReceives(silent, "x-reverse").get(0));
        }
    }

    @Nested
    @DisplayName("running on data frames")
    class Running {
        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("RSV1 marks a transformed message; continuations are decoded too; control frames are untouched")
        void decodeFragments(Side side, Feed feed) {
            Protocol engine = openWithExtension(side, extension(), Limits.DEFAULT);
            feed.feed(engine, Hex.concat(
                    Engines.fromPeer(side, 0x41, "leh"),
                    Engines.fromPeer(side, 0x89, "gnip"),
                    Engines.fromPeer(side, 0x80, "ol"),
                    Engines.fromPeer(side, 0x82, "plain")));
            List<ProtocolEvent> events = engine.events();
            assertEquals(new ProtocolEvent.Ping(ByteBuffer.wrap("gnip".getBytes())), events.get(0));
            assertEquals(new ProtocolEvent.TextMessage("hello"), events.get(1));
            assertEquals(new ProtocolEvent.BinaryMessage(ByteBuffer.wrap("plain".getBytes())), events.get(2));
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("sending: RSV1 on the first frame only, each frame encoded, control frames not")
        void encodeFragments(Side side) {
            Protocol engine = openWithExtension(side, extension(), Limits.DEFAULT);
            engine.sendText("ab", false);
            engine.sendPing(ByteBuffer.wrap("ping".getBytes()));
            engine.sendText("cd", true);
            List<RecordingHandler.Frame> frames = Engines.parse(side, Hex.concat(engine.dataToSend()), 0x40);
            assertEquals(List.of(0x40, 0, 0), frames.stream().map(RecordingHandler.Frame::rsv).toList());
            assertEquals(List.of("ba", "ping", "dc"), frames.stream().map(RecordingHandler.Frame::text).toList());
            assertEquals(List.of(Opcode.TEXT, Opcode.PING, Opcode.CONTINUATION), frames.stream().map(RecordingHandler.Frame::opcode).toList());
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("autoFragmentSize with an extension: a whole message is encoded once, then its encoded bytes are fragmented")
        void autoFragmentEncodedWhole(Side side) {
            ProtocolConfig config = Engines.config().withAutoFragmentSize(4);
            List<Extension> extensions = List.of(extension());
            Protocol engine = side == Side.SERVER ? ServerProtocolImpl.opened(config, extensions) : ClientProtocolImpl.opened(config, extensions);
            engine.sendText("abcdefghij");
            engine.sendText("xy", false); // parts stay one frame per part: they must go out as they come
            engine.sendText("z", true);
            List<RecordingHandler.Frame> frames = Engines.parse(side, Hex.concat(engine.dataToSend()), 0x40);
            assertEquals(List.of("jihg", "fedc", "ba", "yx", "z"), frames.stream().map(RecordingHandler.Frame::text).toList());
            assertEquals(List.of(0x40, 0, 0, 0x40, 0), frames.stream().map(RecordingHandler.Frame::rsv).toList());
            assertEquals(List.of(false, false, true, false, true), frames.stream().map(RecordingHandler.Frame::fin).toList());
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("RSV1 on a continuation frame, and RSV2/RSV3 the extension does not own: 1002")
        void rsvRules(Side side, Feed feed) {
            Rfc6455Section5_2BaseFramingTest.assertFails(openWithExtension(side, extension(), Limits.DEFAULT), feed,
                    Hex.concat(Engines.fromPeer(side, 0x41, "a"), Engines.fromPeer(side, 0xC0, "b")), CloseCodes.PROTOCOL_ERROR);
            Rfc6455Section5_2BaseFramingTest.assertFails(openWithExtension(side, extension(), Limits.DEFAULT), feed,
                    Engines.fromPeer(side, 0xA1, "a"), CloseCodes.PROTOCOL_ERROR);
            Rfc6455Section5_2BaseFramingTest.assertFails(openWithExtension(side, extension(), Limits.DEFAULT), feed,
                    Engines.fromPeer(side, 0xD1, "a"), CloseCodes.PROTOCOL_ERROR);
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("an ExtensionException fails the connection with its code; the extension is closed")
        void extensionFailure(Side side, Feed feed) {
            ReversingExtension extension = extension();
            CloseStatus status = Rfc6455Section5_2BaseFramingTest.assertFails(openWithExtension(side, extension, Limits.DEFAULT), feed,
                    Engines.fromPeer(side, 0xC1, "moob"), CloseCodes.UNSUPPORTED_DATA);
            assertEquals("boom", status.reason());
            assertEquals(1, extension.closes);
        }

        @ParameterizedTest
        @EnumSource(Side.class)
        @DisplayName("an extension that throws a RuntimeException on input fails the connection with 1011; receiveData does not throw")
        void extensionBug(Side side) {
            ReversingExtension broken = new ReversingExtension(new ExtensionParameters(ReversingExtension.NAME)) {
                @Override
                public ByteBuffer decode(int messageRsv, ByteBuffer payload, boolean fin, long maxOutput) {
                    throw new IllegalStateException("bug");
                }

                @Override
                public void close() {
                    throw new IllegalStateException("close bug");
                }
            };
            Protocol engine = openWithExtension(side, broken, Limits.DEFAULT);
            engine.receiveData(ByteBuffer.wrap(Engines.fromPeer(side, 0xC1, "x")));
            Engines.assertFailed(engine, engine.events(), CloseCodes.INTERNAL_ERROR);
        }

        @ParameterizedTest(name = "{0}, {1}")
        @MethodSource("ws.protocol.engine.Engines#sidesAndFeeds")
        @DisplayName("maxMessageSize applies after decoding: the extension is told how much it may still produce")
        void sizeAfterDecode(Side side, Feed feed) {
            ReversingExtension extension = extension();
            Protocol engine = openWithExtension(side, extension, Limits.DEFAULT.withMaxMessageSize(10));
            feed.feed(engine, Engines.fromPeer(side, 0x41, "1234"));
            assertEquals(10, extension.lastMaxOutput);
            feed.feed(engine, Engines.fromPeer(side, 0x00, "5678"));
            assertEquals(6, extension.lastMaxOutput);
            Rfc6455Section5_2BaseFramingTest.assertFails(engine, feed, Engines.fromPeer(side, 0x80, "abc"), CloseCodes.MESSAGE_TOO_BIG);
        }
    }
}
