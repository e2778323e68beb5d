package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.ClientHandshake;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/**
 * The fault matrix of docs/hardening.md, on the real transport loop over the testkit's wires: the
 * opening handshake and a frame cut at every byte offset (by a reset and by a FIN) in both roles; a
 * half-open connection (the peer vanished, nothing moves) found by keepalive in both roles; a peer
 * that answers the close handshake never, twice, or with garbage, in both roles. After each fault
 * the connection ends with exactly one {@code onClose}, the right error reaches the caller, the
 * server goes on serving, and no connection thread is left.
 */
@DisplayName("fault matrix: abrupt ends at every byte, half-open peers, bad close answers")
class FaultMatrixTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** How the peer goes away. */
    enum Cut {
        /**
         * Reset: no close frame, no FIN. A reset loses bytes in flight ({@link Link#drop()}), so the
         * test lets the bytes before the cut be read first ({@link Loopback#settle}).
         */
        RESET,
        /** FIN: the peer half-closes without a close frame. */
        FIN;

        void apply(Loopback net, RawPeer peer) {
            if (this == RESET) {
                net.settle(WAIT);
                peer.drop();
            } else {
                peer.shutdownOutput();
            }
        }

        /** After the cut: a FIN'd peer waits for our side to end, then closes. */
        void finish(RawPeer peer) {
            if (this == FIN) {
                peer.awaitEnd(WAIT);
                peer.close();
            }
        }
    }

    /** One line per callback, for every connection of a server or client. */
    static final class Recorder implements WebSocketListener {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final BlockingQueue<CloseStatus> closed = new LinkedBlockingQueue<>();
        final BlockingQueue<WebSocket> opened = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            opens.incrementAndGet();
            opened.add(webSocket);
            log.add("open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            log.add("text:" + text.length());
            webSocket.sendText(text);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closes.incrementAndGet();
            log.add("close:" + status.code());
            closed.add(status);
        }

        CloseStatus awaitClose() throws InterruptedException {
            CloseStatus status = closed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (status == null) {
                throw new AssertionError("no onClose within " + WAIT + "; callbacks: " + log);
            }
            return status;
        }

        WebSocket awaitOpen() throws InterruptedException {
            WebSocket webSocket = opened.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (webSocket == null) {
                throw new AssertionError("no onOpen within " + WAIT + "; callbacks: " + log);
            }
            return webSocket;
        }

        String drain() {
            StringBuilder all = new StringBuilder();
            for (String line; (line = log.poll()) != null; ) {
                all.append(line).append(' ');
            }
            return all.toString().trim();
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not reached within " + WAIT);
            }
            Thread.sleep(2);
        }
    }

    /** Nothing leaks: every connection thread of the network has ended, the server holds no connection. */
    private static void noneLeft(Loopback net, WebSocketServer server) throws InterruptedException {
        eventually("no connection left on the server (" + server.connectionCount() + ")", () -> server.connectionCount() == 0);
        eventually("no connection thread left (" + net.connectionThreads() + ")", () -> net.connectionThreads() == 0);
    }

    /** The server still serves: a fresh client's text comes back. */
    private static void stillServes(Loopback net, WebSocketServer server) throws Exception {
        Events events = new Events();
        WebSocket ws = net.client().connect(net.uri(server, "/"), events).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("open", events.next());
        ws.sendText("still here");
        assertEquals("text:still here", events.next());
        ws.close(1000, "");
        assertEquals(1000, events.awaitClose().code());
    }

    private static byte[] upgradeRequest() {
        HandshakeRequest request = ClientHandshake.request(URI.create("ws://" + Loopback.HOST + "/"), "dGhlIHNhbXBsZSBub25jZQ==",
                List.of(), List.of(), HttpHeaders.empty());
        return ClientHandshake.encode(request);
    }

    /** A 200-byte text frame as a client sends it: 16-bit length, masked (8 header bytes). */
    private static byte[] clientFrame(RawPeer peer) {
        return peer.frame(Frame.TEXT).payload("x".repeat(200)).encode();
    }

    // ------------------------------------------------------------------------------------------
    // Abrupt ends at every byte offset

    @ParameterizedTest(name = "server, {0}")
    @EnumSource(Cut.class)
    @DisplayName("server: the opening handshake cut at every byte offset; the server goes on serving, nothing leaks")
    void serverHandshakeCutAtEveryOffset(Cut cut) throws Exception {
        try (Loopback net = Loopback.create()) {
            Recorder recorder = new Recorder();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", recorder).start();
            byte[] request = upgradeRequest();
            for (int offset = 0; offset <= request.length; offset++) {
                RawPeer peer = net.rawClient(server);
                peer.sendRaw(Arrays.copyOf(request, offset));
                cut.apply(net, peer);
                cut.finish(peer);
                if (offset == request.length) {
                    // the whole head arrived: the connection opened, then lost its peer
                    assertEquals(1006, recorder.awaitClose().code(), "offset " + offset + ": " + recorder.log);
                }
                noneLeft(net, server);
                assertEquals(offset == request.length ? 1 : 0, recorder.opens.get(), "offset " + offset + " of " + request.length);
            }
            assertEquals(1, recorder.closes.get(), recorder.log.toString());
            stillServes(net, server);
        }
    }

    @ParameterizedTest(name = "server, {0}")
    @EnumSource(Cut.class)
    @DisplayName("server: a frame cut at every byte offset is 1006, the whole frame is delivered first")
    void serverFrameCutAtEveryOffset(Cut cut) throws Exception {
        try (Loopback net = Loopback.create()) {
            Recorder recorder = new Recorder();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", recorder).start();
            int length = -1;
            for (int offset = 0; length < 0 || offset <= length; offset++) {
                RawPeer peer = net.rawClient(server);
                peer.handshake("/");
                recorder.awaitOpen();
                byte[] frame = clientFrame(peer);
                length = frame.length;
                peer.sendRaw(Arrays.copyOf(frame, offset));
                cut.apply(net, peer);
                cut.finish(peer);
                CloseStatus status = recorder.awaitClose();
                String log = recorder.drain();
                assertEquals(1006, status.code(), "offset " + offset + ": " + log);
                assertEquals(offset == length ? "open text:200 close:1006" : "open close:1006", log, "offset " + offset);
                noneLeft(net, server);
            }
            stillServes(net, server);
        }
    }

    @ParameterizedTest(name = "client, {0}")
    @EnumSource(Cut.class)
    @DisplayName("client: the 101 cut at every byte offset fails connect() with an IOException, nothing leaks")
    void clientHandshakeCutAtEveryOffset(Cut cut) throws Exception {
        try (Loopback net = Loopback.create(); RawListener raw = net.rawServer()) {
            Recorder recorder = new Recorder();
            WebSocketClient client = WebSocketClient.builder().transport(net).connection(ConnectionOptions.defaults()).build();
            int length = -1;
            for (int offset = 0; length < 0 || offset <= length; offset++) {
                CompletableFuture<WebSocket> connecting = client.connect(raw.uri("/"), recorder);
                RawPeer peer = raw.accept(WAIT);
                HandshakeRequest request = peer.awaitRequest(WAIT);
                byte[] response = ServerHandshake.encode(ServerHandshake.accept(request, "", List.of(), HttpHeaders.empty()));
                length = response.length;
                peer.sendRaw(Arrays.copyOf(response, offset));
                cut.apply(net, peer);
                cut.finish(peer);
                if (offset < length) {
                    ExecutionException failed = assertThrows(ExecutionException.class,
                            () -> connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS), "offset " + offset);
                    // a reset is an IOException; a FIN before the whole head, a HandshakeException that says so
                    Throwable cause = failed.getCause();
                    assertTrue(cut == Cut.RESET ? cause instanceof IOException
                            : cause instanceof HandshakeException && cause.getMessage().contains("connection ended"),
                            "offset " + offset + ": " + cause);
                    assertEquals(0, recorder.opens.get(), "offset " + offset);
                } else {
                    connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                // onClose once per connect, also when it never opened (WebSocketListener.onClose)
                assertEquals(1006, recorder.awaitClose().code(), "offset " + offset);
                eventually("no connection thread left at offset " + offset, () -> net.connectionThreads() == 0);
            }
            assertEquals(length + 1, recorder.closes.get(), recorder.log.toString());
            assertEquals(1, recorder.opens.get());
        }
    }

    @ParameterizedTest(name = "client, {0}")
    @EnumSource(Cut.class)
    @DisplayName("client: a frame cut at every byte offset is 1006, the whole frame is delivered first")
    void clientFrameCutAtEveryOffset(Cut cut) throws Exception {
        try (Loopback net = Loopback.create(); RawListener raw = net.rawServer()) {
            WebSocketClient client = WebSocketClient.builder().transport(net).connection(ConnectionOptions.defaults()).build();
            int length = -1;
            for (int offset = 0; length < 0 || offset <= length; offset++) {
                Recorder recorder = new Recorder();
                CompletableFuture<WebSocket> connecting = client.connect(raw.uri("/"), new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        recorder.onOpen(webSocket);
                    }

                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        recorder.log.add("text:" + text.length()); // no echo: the peer is gone
                    }

                    @Override
                    public void onClose(WebSocket webSocket, CloseStatus status) {
                        recorder.onClose(webSocket, status);
                    }
                });
                RawPeer peer = raw.accept(WAIT);
                peer.acceptHandshake(WAIT);
                connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                byte[] frame = peer.frame(Frame.TEXT).payload("y".repeat(200)).encode();
                length = frame.length;
                peer.sendRaw(Arrays.copyOf(frame, offset));
                cut.apply(net, peer);
                cut.finish(peer);
                assertEquals(1006, recorder.awaitClose().code(), "offset " + offset);
                assertEquals(offset == length ? "open text:200 close:1006" : "open close:1006", recorder.drain(), "offset " + offset);
                eventually("no connection thread left at offset " + offset, () -> net.connectionThreads() == 0);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Half-open connections

    @Test
    @DisplayName("server: a client that vanished without FIN (nothing moves either way) is found by keepalive: 1006")
    void serverFindsAHalfOpenClientByKeepalive() throws Exception {
        try (Loopback net = Loopback.create()) {
            Recorder recorder = new Recorder();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", recorder)
                    .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(20))).start();
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(ConnectionOptions.defaults().withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))).build();
            Events clientSide = new Events();
            WebSocket ws = client.connect(net.uri(server, "/"), clientSide).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            recorder.awaitOpen();
            Link link = net.link(ws);
            link.toServer().stall();
            link.toClient().stall();
            net.clock().advance(Duration.ofSeconds(30)); // the ping goes out, and nowhere
            net.clock().advance(Duration.ofSeconds(20));
            CloseStatus status = recorder.awaitClose();
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            eventually("the server dropped the connection", () -> server.connectionCount() == 0);
            link.drop();
            assertEquals(1006, clientSide.awaitClose().code());
            noneLeft(net, server);
            stillServes(net, server);
        }
    }

    @Test
    @DisplayName("client: a server that vanished without FIN is found by the client's keepalive: 1006")
    void clientFindsAHalfOpenServerByKeepalive() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", new Recorder())
                    .connection(c -> c.withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))).start();
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(ConnectionOptions.defaults().withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(5))).build();
            Events clientSide = new Events();
            WebSocket ws = client.connect(net.uri(server, "/"), clientSide).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("open", clientSide.next());
            Link link = net.link(ws);
            link.toServer().stall();
            link.toClient().stall();
            net.clock().advance(Duration.ofSeconds(10));
            net.clock().advance(Duration.ofSeconds(5));
            CloseStatus status = clientSide.awaitClose();
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            link.drop();
            noneLeft(net, server);
        }
    }

    // ------------------------------------------------------------------------------------------
    // The close handshake answered never, twice, or with garbage

    /** What a peer answers to our close frame. */
    enum Answer {
        NEVER, TWICE, GARBAGE
    }

    /**
     * The status onClose reports: the peer's 1000 when it answered (the second close is ignored);
     * 1006 when the close timeout ended the wait; 1002 for garbage (RFC 6455 section 7.1.7: a
     * protocol error while closing still fails the connection).
     */
    private static int expected(Answer answer) {
        return switch (answer) {
            case NEVER -> 1006;
            case TWICE -> 1000;
            case GARBAGE -> 1002;
        };
    }

    private static byte[] answer(RawPeer peer, Answer answer) {
        byte[] close = peer.frame(Frame.CLOSE).payload(new byte[] {0x03, (byte) 0xe8}).encode();
        return switch (answer) {
            case NEVER -> new byte[0];
            case TWICE -> ByteBuffer.allocate(close.length * 2).put(close).put(close).array();
            case GARBAGE -> "\u00ff\u00fe garbage, not a frame \u0000\u0001".getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    @ParameterizedTest(name = "server, answer {0}")
    @EnumSource(Answer.class)
    @DisplayName("server closes; the client answers never, twice or with garbage: one onClose, the connection ends, nothing leaks")
    void serverClosesAndThePeerAnswersBadly(Answer kind) throws Exception {
        try (Loopback net = Loopback.create()) {
            Recorder recorder = new Recorder();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", recorder)
                    .connection(c -> c.withCloseTimeout(Duration.ofSeconds(5))).start();
            RawPeer peer = net.rawClient(server);
            peer.handshake("/");
            recorder.awaitOpen().close(1000, "bye");
            assertEquals(1000, peer.awaitClose(WAIT).code());
            byte[] bytes = answer(peer, kind);
            if (bytes.length > 0) {
                peer.sendRaw(bytes);
            }
            if (kind == Answer.TWICE) {
                peer.awaitEnd(WAIT); // the server closes TCP first (RFC 6455 section 7.1.1)
                peer.close();
            } else {
                net.clock().advance(Duration.ofSeconds(5)); // the close timeout ends what the peer did not
            }
            CloseStatus status = recorder.awaitClose();
            assertEquals(expected(kind), status.code(), kind + ": " + status + " " + recorder.log);
            peer.awaitEnd(WAIT);
            peer.close();
            noneLeft(net, server);
            assertEquals(1, recorder.closes.get(), recorder.log.toString());
            assertEquals(1, peer.received().stream().filter(f -> f.opcode() == Frame.CLOSE).count(), kind + ": one close frame sent");
            stillServes(net, server);
        }
    }

    @ParameterizedTest(name = "client, answer {0}")
    @EnumSource(Answer.class)
    @DisplayName("client closes; the server answers never, twice or with garbage: one onClose, the connection ends")
    void clientClosesAndThePeerAnswersBadly(Answer kind) throws Exception {
        try (Loopback net = Loopback.create(); RawListener raw = net.rawServer()) {
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(ConnectionOptions.defaults().withCloseTimeout(Duration.ofSeconds(5))).build();
            Recorder recorder = new Recorder();
            CompletableFuture<WebSocket> connecting = client.connect(raw.uri("/"), recorder);
            RawPeer peer = raw.accept(WAIT);
            peer.acceptHandshake(WAIT);
            connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS).close(1000, "bye");
            assertEquals(1000, peer.awaitClose(WAIT).code());
            byte[] bytes = answer(peer, kind);
            if (bytes.length > 0) {
                peer.sendRaw(bytes);
            }
            if (kind == Answer.TWICE) {
                peer.close(); // a server closes TCP after its close frame
            } else {
                net.clock().advance(Duration.ofSeconds(5));
            }
            CloseStatus status = recorder.awaitClose();
            assertEquals(expected(kind), status.code(), kind + ": " + status + " " + recorder.log);
            peer.awaitEnd(WAIT);
            peer.close();
            eventually("no connection thread left", () -> net.connectionThreads() == 0);
            assertEquals(1, recorder.closes.get(), recorder.log.toString());
        }
    }
}
