package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;

/** The raw peer against our own server and client, by RFC 6455 rule. */
class RawPeerTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    Loopback net;
    WebSocketServer server;

    @BeforeEach
    void start() {
        net = Loopback.create();
        server = net.startServer("/echo", new Echo());
    }

    @AfterEach
    void stop() {
        net.close();
    }

    RawPeer connected() {
        RawPeer peer = net.rawClient(server);
        HandshakeResponse response = peer.handshake("/echo");
        assertEquals(101, response.status());
        return peer;
    }

    @Nested
    class Section4OpeningHandshake {
        @Test
        void anUnknownPathGets404() {
            RawPeer peer = net.rawClient(server);
            AssertionError refused = assertThrows(AssertionError.class, () -> peer.handshake("/nowhere"));
            assertTrue(refused.getMessage().contains("404"), refused.getMessage());
        }

        @Test
        void aHandMadeRequestWithoutKeyGets400() {
            RawPeer peer = net.rawClient(server);
            peer.sendRaw(("GET /echo HTTP/1.1\r\nHost: loopback\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(400, peer.awaitResponse(WAIT).status());
            peer.awaitEnd(WAIT);
        }
    }

    @Nested
    class Section5_2BaseFraming {
        @Test
        void echoesAndRecordsExactFrames() {
            RawPeer peer = connected();
            peer.sendText("hi");
            Frame frame = peer.awaitFrame(WAIT);
            assertEquals(new Frame(true, 0, Frame.TEXT, false, 0, "HI".getBytes()), frame);
            peer.assertNoMoreFrames();
        }

        @Test
        void nonZeroRsvWithoutExtensionIs1002() {
            RawPeer peer = connected();
            peer.frame(Frame.TEXT).rsv(2).payload("x").send();
            assertEquals(1002, peer.awaitClose(WAIT).code());
            peer.awaitEnd(WAIT);
        }

        @Test
        void anUnmaskedClientFrameIs1002() {
            RawPeer peer = connected();
            peer.frame(Frame.TEXT).masked(false).payload("x").send();
            assertEquals(1002, peer.awaitClose(WAIT).code());
        }

        @Test
        void aReservedOpcodeIs1002() {
            RawPeer peer = connected();
            peer.frame(0x3).send();
            assertEquals(1002, peer.awaitClose(WAIT).code());
        }

        @Test
        void aNonMinimalLengthIsRecordedAsSentAndTheServerRejectsOrAcceptsIt() {
            RawPeer peer = connected();
            byte[] bytes = peer.frame(Frame.TEXT).payload("abc").extendedLength(8).encode();
            assertEquals(2 + 8 + 4 + 3, bytes.length);
            assertEquals(127, bytes[1] & 0x7F);
        }

        @Test
        void aTruncatedFrameThenADropEndsWith1006OnTheServer() throws Exception {
            Events events = new Events();
            WebSocketServer watched = net.startServer("/watched", events);
            RawPeer peer = net.rawClient(watched);
            peer.handshake("/watched");
            assertEquals("open", events.next());
            peer.frame(Frame.BINARY).payload(new byte[100]).truncate(50).send();
            peer.drop();
            assertEquals(1006, events.awaitClose().code());
        }
    }

    @Nested
    class Section5_5ControlFrames {
        @Test
        void aPingIsAnsweredWithTheSamePayload() {
            RawPeer peer = connected();
            peer.sendPing(new byte[] {1, 2, 3});
            Frame pong = peer.awaitFrame(Frame.PONG, WAIT);
            assertArrayEquals(new byte[] {1, 2, 3}, pong.payload());
            assertFalse(pong.masked());
        }

        @Test
        void anOversizedControlFrameIs1002() {
            RawPeer peer = connected();
            peer.sendPing(new byte[126]);
            assertEquals(1002, peer.awaitClose(WAIT).code());
        }

        @Test
        void aFragmentedControlFrameIs1002() {
            RawPeer peer = connected();
            peer.frame(Frame.PING).fin(false).send();
            assertEquals(1002, peer.awaitClose(WAIT).code());
        }

        @Test
        void theCloseIsEchoedAndTheServerEndsTheConnection() {
            RawPeer peer = connected();
            peer.sendClose(1000, "done");
            CloseStatus echo = peer.awaitClose(WAIT);
            assertEquals(1000, echo.code());
            peer.awaitEnd(WAIT);
            peer.assertNoMoreFrames();
        }
    }

    @Nested
    class Section5_4Fragmentation {
        @Test
        void fragmentsWithAPingBetweenAreOneMessage() {
            RawPeer peer = connected();
            peer.frame(Frame.TEXT).fin(false).payload("ab").send();
            peer.sendPing(new byte[0]);
            peer.frame(Frame.CONTINUATION).payload("cd").send();
            assertEquals(Frame.PONG, peer.awaitFrame(WAIT).opcode());
            assertEquals("ABCD", peer.awaitText(WAIT));
        }

        @Test
        void aContinuationWithoutStartIs1002() {
            RawPeer peer = connected();
            peer.frame(Frame.CONTINUATION).payload("x").send();
            assertEquals(1002, peer.awaitClose(WAIT).code());
        }
    }

    @Nested
    class Section8_1Utf8 {
        @Test
        void invalidUtf8TextIs1007() {
            RawPeer peer = connected();
            peer.frame(Frame.TEXT).payload(new byte[] {(byte) 0xC0, (byte) 0xAF}).send();
            assertEquals(1007, peer.awaitClose(WAIT).code());
        }
    }

    @Nested
    class ClientUnderTest {
        @Test
        void aMaskedFrameFromTheServerFailsTheClientWith1002() throws Exception {
            try (RawListener raw = net.rawServer()) {
                Events events = new Events();
                var connecting = net.client().connect(raw.uri("/x"), events);
                RawPeer peer = raw.accept(WAIT);
                HandshakeRequest request = peer.acceptHandshake(WAIT);
                assertEquals("/x", request.path());
                connecting.get(30, TimeUnit.SECONDS);
                peer.frame(Frame.TEXT).maskKey(0x01020304).payload("masked").send();
                assertEquals(1002, peer.awaitClose(WAIT).code());
                assertEquals("open", events.next());
            }
        }

        @Test
        void aBadAcceptKeyFailsTheConnect() {
            try (RawListener raw = net.rawServer()) {
                var connecting = net.client().connect(raw.uri("/x"), new Events());
                RawPeer peer = raw.accept(WAIT);
                peer.awaitRequest(WAIT);
                peer.respond(new HandshakeResponse(101, "Switching Protocols", HttpHeaders.of("Upgrade", "websocket",
                        "Connection", "Upgrade", "Sec-WebSocket-Accept", "wrong"), new byte[0]));
                // the client gives up: it half-closes and waits for our FIN (or its close timeout)
                peer.awaitEnd(WAIT);
                peer.close();
                ExecutionException failed = assertThrows(ExecutionException.class, () -> connecting.get(30, TimeUnit.SECONDS));
                assertInstanceOf(ws.protocol.handshake.HandshakeException.class, failed.getCause());
            }
        }

        @Test
        void theClientMasksEveryFrameWithItsSeededKeys() throws Exception {
            try (RawListener raw = net.rawServer()) {
                var connecting = net.client().connect(raw.uri("/"), new Events());
                RawPeer peer = raw.accept(WAIT);
                peer.acceptHandshake(WAIT);
                WebSocket ws = connecting.get(30, TimeUnit.SECONDS);
                ws.sendText("payload");
                Frame frame = peer.awaitFrame(WAIT);
                assertTrue(frame.masked());
                assertEquals("payload", frame.text());
            }
        }
    }

    @Test
    void waitsFailWithAnAssertionNamingWhatArrived() {
        RawPeer peer = connected();
        peer.sendText("one");
        AssertionError none = assertThrows(AssertionError.class, () -> peer.awaitFrame(Frame.PING, WAIT));
        assertTrue(none.getMessage().contains("TEXT"), none.getMessage());
        AssertionError quiet = assertThrows(AssertionError.class, () -> peer.awaitFrame(Duration.ofMillis(20)));
        assertTrue(quiet.getMessage().startsWith("no frame within PT0.02S"), quiet.getMessage());
    }

    @Test
    void assertNoMoreFramesSeesAFrameThatArrived() throws Exception {
        RawPeer peer = connected();
        peer.sendText("one");
        // the echo has arrived (a fixed 50 ms sleep was not always enough on a loaded machine)
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (peer.received().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, peer.received().size(), "the echo arrived");
        assertThrows(AssertionError.class, peer::assertNoMoreFrames);
    }

    @Test
    void theSameSeedSendsTheSameBytes() {
        RawPeer a = net.rawClient(server.port(), 7);
        RawPeer b = net.rawClient(server.port(), 7);
        assertArrayEquals(a.frame(Frame.TEXT).payload("x").encode(), b.frame(Frame.TEXT).payload("x").encode());
    }
}
