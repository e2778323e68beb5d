package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.api.HttpExchange;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * Plain HTTP exchanges on the loopback network: the same HTTP phase as the socket transports, on the
 * manual clock (the idle bound between exchanges fires when the test advances time, not after a wait).
 */
class HttpExchangeOnLoopbackTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** 204: a response with no body, so that the raw peer reads the next head right after it. */
    private static HandshakeResponse noContent(String says) {
        return new HandshakeResponse(204, "No Content", HttpHeaders.of("X-Says", says), new byte[0]);
    }

    @Test
    void heldExchangesKeepAliveThenAnUpgradeOnTheSameConnection() throws Exception {
        BlockingQueue<HttpExchange> held = new LinkedBlockingQueue<>();
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/echo", new Echo())
                    .http("/poll", held::add)
                    .http("/*", exchange -> exchange.respond(noContent(new String(exchange.body(), StandardCharsets.UTF_8))))
                    .start();
            RawPeer peer = net.rawClient(server);
            peer.sendRaw("GET /poll HTTP/1.1\r\nHost: loopback\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            HttpExchange poll = held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            net.clock().advance(Duration.ofMinutes(5)); // far past the handshake timeout: a held exchange has no bound
            assertTrue(poll.isOpen());
            assertTrue(poll.respond(noContent("released")));
            assertEquals("released", peer.awaitResponse(WAIT).headers().first("X-Says").orElseThrow());
            peer.sendRaw("POST /send HTTP/1.1\r\nHost: loopback\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
            assertEquals("hello", peer.awaitResponse(WAIT).headers().first("X-Says").orElseThrow());
            assertEquals(101, peer.handshake("/echo").status());
            peer.sendText("upgraded after two exchanges");
            assertEquals("UPGRADED AFTER TWO EXCHANGES", peer.awaitText(WAIT), "the echo route upper-cases");
        }
    }

    @Test
    void theIdleBoundBetweenExchangesIsTheHandshakeTimeoutOnTheManualClock() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/echo", new Echo())
                    .http("/*", exchange -> exchange.respond(noContent("hi")))
                    .connection(c -> c.withHandshakeTimeout(Duration.ofSeconds(10))).start();
            RawPeer peer = net.rawClient(server);
            peer.sendRaw("GET / HTTP/1.1\r\nHost: loopback\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(204, peer.awaitResponse(WAIT).status());
            net.clock().advance(Duration.ofSeconds(9));
            assertFalse(peer.isEnded(), "kept alive within the bound");
            net.clock().advance(Duration.ofSeconds(1));
            peer.awaitEnd(WAIT);
        }
    }

    @Test
    void aClientThatLeavesAbandonsItsHeldExchange() throws Exception {
        BlockingQueue<HttpExchange> held = new LinkedBlockingQueue<>();
        CountDownLatch abandoned = new CountDownLatch(1);
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/echo", new Echo())
                    .http("/poll", exchange -> {
                        exchange.onAbandon(abandoned::countDown);
                        held.add(exchange);
                    }).start();
            RawPeer peer = net.rawClient(server);
            peer.sendRaw("GET /poll HTTP/1.1\r\nHost: loopback\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            HttpExchange poll = held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            peer.close();
            assertTrue(abandoned.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertFalse(poll.respond(noContent("too late")));
        }
    }
}
