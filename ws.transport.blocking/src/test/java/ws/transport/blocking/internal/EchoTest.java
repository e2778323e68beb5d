package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.ReadyState;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** Messages, control frames and the close handshake between our client and our server, on both transports. */
class EchoTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    /** A server that echoes on /echo, a client connected to it, and both recorders. */
    record Pair(WebSocketServer server, WebSocketClient client, Recorder serverSide, Recorder clientSide,
                WebSocket webSocket) implements AutoCloseable {
        static Pair open(Transport transport) throws Exception {
            Recorder serverSide = Recorder.echo();
            WebSocketServer server = Support.server(transport).route("/echo", serverSide).start();
            WebSocketClient client = Support.client(transport).build();
            Recorder clientSide = new Recorder();
            WebSocket webSocket = client.connect(Support.uri(server, "/echo"), clientSide)
                    .get(Support.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new Pair(server, client, serverSide, clientSide, webSocket);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_6_textAndBinaryEcho(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            assertSame(pair.webSocket(), pair.clientSide().next(Recorder.Open.class).webSocket());
            assertEquals(ReadyState.OPEN, pair.webSocket().readyState());
            pair.webSocket().sendText("héllo, wörld €𝄞").get(30, TimeUnit.SECONDS);
            assertEquals("héllo, wörld €𝄞", pair.clientSide().nextText());
            pair.webSocket().sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}));
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, pair.clientSide().next(Recorder.Binary.class).bytes());
            pair.webSocket().sendText("").join(); // bufferedAmount falls before the future completes
            assertEquals("", pair.clientSide().nextText());
            assertEquals(0, pair.webSocket().bufferedAmount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_2_oneMebibyteMessagesBothWays(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            pair.clientSide().next(Recorder.Open.class);
            byte[] big = random(1 << 20);
            pair.webSocket().sendBinary(ByteBuffer.wrap(big)).get(30, TimeUnit.SECONDS);
            assertArrayEquals(big, pair.clientSide().next(Recorder.Binary.class).bytes());
            String text = "x".repeat(1 << 20);
            pair.webSocket().sendText(text);
            assertEquals(text, pair.clientSide().nextText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_4_fragmentedSendsArriveWhole(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            pair.clientSide().next(Recorder.Open.class);
            WebSocket ws = pair.webSocket();
            ws.sendText("frag", false);
            ws.sendText("men", false);
            ws.sendText("ted", true);
            assertEquals("fragmented", pair.clientSide().nextText());
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false);
            ws.sendBinary(ByteBuffer.wrap(new byte[] {3}), true).get(30, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {1, 2, 3}, pair.clientSide().next(Recorder.Binary.class).bytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_4_autoFragmentedMessagesArriveWhole(Transport transport) throws Exception {
        Recorder serverSide = Recorder.echo();
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withAutoFragmentSize(1000)).route("/echo", serverSide).start();
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withAutoFragmentSize(777)).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/echo"), clientSide).get(30, TimeUnit.SECONDS);
            byte[] data = random(100_000);
            ws.sendBinary(ByteBuffer.wrap(data));
            assertArrayEquals(data, clientSide.nextOf(Recorder.Binary.class).bytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_5_pingIsAnsweredWithPong(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            pair.clientSide().next(Recorder.Open.class);
            pair.webSocket().ping(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)));
            assertEquals("are you there", Recorder.utf8(pair.clientSide().next(Recorder.Pong.class).bytes()));
            assertEquals("are you there", Recorder.utf8(pair.serverSide().nextOf(Recorder.Ping.class).bytes()));
            WebSocket serverWs = pair.serverSide().awaitOpen();
            serverWs.ping(ByteBuffer.wrap(new byte[] {9}));
            assertArrayEquals(new byte[] {9}, pair.clientSide().next(Recorder.Ping.class).bytes());
            assertArrayEquals(new byte[] {9}, pair.serverSide().nextOf(Recorder.Pong.class).bytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section7_clientClosesWithCodeAndReason(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            pair.clientSide().next(Recorder.Open.class);
            CloseStatus status = pair.webSocket().close(4000, "bye").get(30, TimeUnit.SECONDS);
            assertEquals(4000, status.code(), "the server echoes the code (the status is the peer's close frame)");
            assertEquals(ReadyState.CLOSED, pair.webSocket().readyState());
            assertEquals(status, pair.clientSide().next(Recorder.Close.class).status());
            CloseStatus atServer = pair.serverSide().awaitClose();
            assertEquals(4000, atServer.code());
            assertEquals("bye", atServer.reason());
            assertEquals(1, pair.clientSide().closes.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section7_serverClosesWithCodeAndReason(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            WebSocket serverWs = pair.serverSide().awaitOpen();
            CloseStatus atServer = serverWs.close(4001, "go away").get(30, TimeUnit.SECONDS);
            assertEquals(4001, atServer.code());
            CloseStatus atClient = pair.clientSide().awaitClose();
            assertEquals(4001, atClient.code());
            assertEquals("go away", atClient.reason());
            assertTrue(atClient.cause() == null, "an orderly close has no cause: " + atClient);
            assertEquals(0, awaitNoConnections(pair.server()));
        }
    }

    static int awaitNoConnections(WebSocketServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Support.WAIT.toNanos();
        while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return server.connectionCount();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void abortReports1006OnBothSides(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            pair.clientSide().next(Recorder.Open.class);
            pair.webSocket().abort();
            assertEquals(1006, pair.webSocket().closeFuture().get(30, TimeUnit.SECONDS).code());
            assertEquals(1006, pair.serverSide().awaitClose().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void theConnectionKnowsItsRequestAddressesAndId(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            WebSocket serverWs = pair.serverSide().awaitOpen();
            assertEquals("/echo", serverWs.request().path());
            assertEquals("/echo", pair.webSocket().request().path());
            assertEquals(pair.webSocket().localAddress(), serverWs.remoteAddress());
            assertTrue(!serverWs.id().equals(pair.webSocket().id()));
            assertSame(serverWs, pair.server().connection(serverWs.id()).orElseThrow());
            assertEquals(1, pair.server().connectionCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section7_bothSidesCloseAtOnce(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            WebSocket serverWs = pair.serverSide().awaitOpen();
            var fromClient = pair.webSocket().close(4100, "client");
            var fromServer = serverWs.close(4200, "server");
            // the client's frame always reaches the server (the client sent it before anything came
            // back); the client receives the server's own 4200 if the frames crossed, else the echo
            int atClient = fromClient.get(30, TimeUnit.SECONDS).code();
            assertTrue(atClient == 4200 || atClient == 4100, "client got " + atClient);
            assertEquals(4100, fromServer.get(30, TimeUnit.SECONDS).code());
            assertEquals(1, pair.clientSide().closes.get());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void misuseThrowsAtOnceAndChangesNothing(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            WebSocket ws = pair.webSocket();
            assertThrows(IllegalArgumentException.class, () -> ws.close(1005, ""));
            assertThrows(IllegalArgumentException.class, () -> ws.ping(ByteBuffer.allocate(126)));
            ws.sendText("part", false);
            assertThrows(IllegalStateException.class, () -> ws.sendBinary(ByteBuffer.allocate(1)));
            ws.sendText("s", true);
            assertEquals("parts", pair.clientSide().nextOf(Recorder.Text.class).text());
            assertEquals(ReadyState.OPEN, ws.readyState());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void closingTheServerFromItsOwnCallbackDoesNotWaitForItself(Transport transport) throws Exception {
        java.util.concurrent.atomic.AtomicReference<WebSocketServer> self = new java.util.concurrent.atomic.AtomicReference<>();
        Recorder serverSide = new Recorder() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                super.onText(webSocket, text);
                self.get().close();
            }
        };
        // a close timeout (the shutdown's grace) far beyond the waits: a close() that waited for its
        // own connection would hold the shutdown past them, whatever the machine's speed
        WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withCloseTimeout(Duration.ofMinutes(5)))
                .route("/", serverSide).start();
        self.set(server);
        try (WebSocketClient client = Support.client(transport).build()) {
            Recorder recorder = new Recorder();
            client.connect(Support.uri(server, "/"), recorder).get(30, TimeUnit.SECONDS).sendText("stop");
            assertEquals(1001, recorder.awaitClose().code());
            server.shutdown(Duration.ZERO).get(Support.WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * A message and the peer's close read together: the listener's answer goes out before the close
     * echo (RFC 6455 section 5.5.1; Autobahn case 7.1.1), and nothing turns the close into 1011.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_5_1_theAnswerToAMessageReadWithThePeersCloseGoesOutFirst(Transport transport) throws Exception {
        Recorder serverSide = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).route("/", serverSide).start();
             RawClient raw = new RawClient(server.port())) {
            assertEquals(101, RawClient.status(raw.upgrade("/")));
            byte[] text = RawClient.frame(true, 1, "last words".getBytes(StandardCharsets.UTF_8), true);
            byte[] close = RawClient.frame(true, 8, new byte[] {0x03, (byte) 0xE8}, true);
            byte[] both = java.util.Arrays.copyOf(text, text.length + close.length);
            System.arraycopy(close, 0, both, text.length, close.length);
            raw.send(both);
            RawClient.Frame answer = raw.readFrame();
            assertEquals(1, answer.opcode());
            assertEquals("last words", answer.text());
            assertEquals(1000, raw.readFrame().closeCode(), "then the close is echoed, not turned into 1011");
            assertEquals(1000, serverSide.awaitClose().code());
            assertTrue(serverSide.events.stream().noneMatch(e -> e instanceof Recorder.Error));
        }
    }

    /** A send that meets a connection the peer closed is not misuse: its future fails, nothing throws. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aSendAfterThePeerClosedFailsItsFuture(Transport transport) throws Exception {
        try (Pair pair = Pair.open(transport)) {
            WebSocket serverWs = pair.serverSide().awaitOpen();
            pair.webSocket().close(1000, "").get(30, TimeUnit.SECONDS);
            pair.serverSide().awaitClose();
            var sent = serverWs.sendText("too late");
            java.util.concurrent.ExecutionException error = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> sent.get(30, TimeUnit.SECONDS));
            assertTrue(error.getCause() instanceof java.io.IOException, error.getCause().toString());
            assertThrows(IllegalStateException.class, () -> pair.webSocket().sendText("after my own close"));
        }
    }
}
