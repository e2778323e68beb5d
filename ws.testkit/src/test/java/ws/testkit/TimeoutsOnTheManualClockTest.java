package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** Keepalive, idle, close and handshake timeouts of the real loop, in milliseconds of wall time. */
class TimeoutsOnTheManualClockTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void keepaliveAbortsAPeerThatNeverAnswersPings() throws Exception {
        long started = System.nanoTime();
        try (Loopback net = Loopback.create()) {
            Events events = new Events();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", events)
                    .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(20))).start();
            RawPeer peer = net.rawClient(server);
            peer.handshake("/");
            assertEquals("open", events.next());
            ManualClock clock = net.clock();
            clock.advance(Duration.ofSeconds(29));
            peer.assertNoMoreFrames(Duration.ofMillis(20));
            clock.advance(Duration.ofSeconds(1));
            Frame ping = peer.awaitFrame(Frame.PING, WAIT);
            assertEquals(8, ping.payload().length);
            // the peer never answers
            clock.advance(Duration.ofSeconds(20));
            CloseStatus status = events.awaitClose();
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            assertTrue(status.cause().getMessage().contains("no pong within PT20S"), status.cause().getMessage());
            peer.awaitEnd(WAIT);
        }
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("keepalive dead-peer test: 50 s of protocol time in " + wallMillis + " ms of wall time");
        // far less than the 50 s the deadlines would take on the wall clock, with room for a loaded machine
        assertTrue(wallMillis < 30_000, "took " + wallMillis + " ms");
    }

    @Test
    void keepaliveKeepsAPeerThatAnswers() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events events = new Events();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", events)
                    .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(20))).start();
            RawPeer peer = net.rawClient(server);
            peer.handshake("/");
            assertEquals("open", events.next());
            for (int round = 0; round < 3; round++) {
                // the first ping 30 s after the open; later ones 30 s after the last pong was read
                net.clock().advance(Duration.ofSeconds(round == 0 ? 30 : 10));
                Frame ping = peer.awaitFrame(Frame.PING, WAIT);
                peer.sendPong(ping.payload());
                assertEquals("pong", events.next());
                net.clock().advance(Duration.ofSeconds(20));
            }
            assertTrue(events.log.isEmpty(), events.log.toString());
            assertEquals(1, server.connectionCount());
        }
    }

    @Test
    void theIdleTimeoutClosesWith1001() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events events = new Events();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", events)
                    .connection(c -> c.withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))
                            .withIdleTimeout(Duration.ofMinutes(5))).start();
            RawPeer peer = net.rawClient(server);
            peer.handshake("/");
            net.clock().advance(Duration.ofMinutes(4));
            peer.sendText("still here");
            assertEquals("open", events.next());
            assertEquals("text:still here", events.next());
            net.clock().advance(Duration.ofMinutes(4));
            peer.assertNoMoreFrames(Duration.ofMillis(20));
            net.clock().advance(Duration.ofMinutes(1));
            CloseStatus close = peer.awaitClose(WAIT);
            assertEquals(1001, close.code());
            assertEquals("idle timeout", close.reason());
            peer.sendClose(1001, "");
            // the server closes TCP first (RFC 6455 section 7.1.1), then waits for our FIN
            peer.awaitEnd(WAIT);
            peer.close();
            assertEquals(1001, events.awaitClose().code());
        }
    }

    @Test
    void theCloseTimeoutAbortsAPeerThatNeverAnswersTheClose() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events events = new Events();
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", events)
                    .connection(c -> c.withCloseTimeout(Duration.ofSeconds(5))).start();
            RawPeer peer = net.rawClient(server);
            peer.handshake("/");
            assertEquals("open", events.next());
            server.connections().iterator().next().close(1000, "bye");
            assertEquals(1000, peer.awaitClose(WAIT).code());
            net.clock().advance(Duration.ofSeconds(4));
            assertTrue(!events.closed.isDone());
            net.clock().advance(Duration.ofSeconds(1));
            CloseStatus status = events.awaitClose();
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            peer.awaitEnd(WAIT);
        }
    }

    @Test
    void theServersHandshakeTimeoutCutsASilentClient() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", new Events())
                    .connection(c -> c.withHandshakeTimeout(Duration.ofSeconds(10))).start();
            RawPeer peer = net.rawClient(server);
            peer.sendRaw("GET / HTTP/1.1\r\nHost: loopback\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            awaitTimers(net.clock(), 1);
            net.clock().advance(Duration.ofSeconds(10));
            peer.awaitEnd(WAIT);
        }
    }

    @Test
    void theClientsHandshakeTimeoutFailsTheConnect() throws Exception {
        try (Loopback net = Loopback.create(); RawListener raw = net.rawServer()) {
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(c -> c.withHandshakeTimeout(Duration.ofSeconds(3))).build();
            var connecting = client.connect(raw.uri("/"), new Events());
            RawPeer peer = raw.accept(WAIT);
            peer.awaitRequest(WAIT); // and never answers
            net.clock().advance(Duration.ofSeconds(3));
            ExecutionException failed = assertThrows(ExecutionException.class, () -> connecting.get(30, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failed.getCause());
        }
    }

    @Test
    void aClientsKeepaliveWorksOnTheSameClock() throws Exception {
        try (Loopback net = Loopback.create(); RawListener raw = net.rawServer()) {
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(ConnectionOptions.defaults().withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                    .build();
            Events events = new Events();
            var connecting = client.connect(raw.uri("/"), events);
            RawPeer peer = raw.accept(WAIT);
            peer.acceptHandshake(WAIT);
            WebSocket ws = connecting.get(30, TimeUnit.SECONDS);
            net.clock().advance(Duration.ofSeconds(10));
            Frame ping = peer.awaitFrame(Frame.PING, WAIT);
            assertTrue(ping.masked());
            net.clock().advance(Duration.ofSeconds(5));
            assertEquals(1006, events.awaitClose().code());
            assertEquals(ws.closeFuture().get(30, TimeUnit.SECONDS).code(), 1006);
        }
    }

    @Test
    void aLiveLoopbackClientAnswersEveryPingWithinOneLongAdvance() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", new Echo())
                    .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10))).start();
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(c -> c.withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))).build();
            Events events = new Events();
            WebSocket ws = client.connect(net.uri(server, "/"), events).get(30, TimeUnit.SECONDS);
            // one call, 20 pings: before each deadline the clock lets the network settle, so every
            // pong the client's loop sends is read before its deadline is checked
            net.clock().advance(Duration.ofMinutes(10));
            assertEquals(1, server.connectionCount());
            assertTrue(!ws.closeFuture().isDone());
            ws.sendText("alive");
            assertEquals("open", events.next());
            assertEquals("text:ALIVE", events.next());
        }
    }

    /** Waits (wall time) until the loop has armed {@code count} timers: its threads run concurrently with the test. */
    static void awaitTimers(ManualClock clock, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (clock.pendingTimers() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
