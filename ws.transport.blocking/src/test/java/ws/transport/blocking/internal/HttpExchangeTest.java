package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.HttpExchange;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * Plain HTTP exchanges on the WebSocket port (RFC 9112): bodies by Content-Length and chunked within a
 * limit, responses completed later from another thread (a long-poll), keep-alive between exchanges,
 * the client leaving while a response is held, shutdown, and an upgrade after plain exchanges.
 */
class HttpExchangeTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";
    private static final long WAIT = Support.WAIT.toSeconds();

    /** A long-poll: GET /poll is held; POST /send answers the held GET with its body. */
    private static final class LongPoll {
        final BlockingQueue<HttpExchange> held = new LinkedBlockingQueue<>();
        final CountDownLatch abandoned = new CountDownLatch(1);

        HttpHandler handler() {
            return exchange -> {
                if (exchange.request().method().equals("POST")) {
                    HttpExchange poll = held.poll(WAIT, TimeUnit.SECONDS);
                    boolean delivered = poll != null && poll.respond(new HandshakeResponse(200, "OK",
                            HttpHeaders.of("Content-Type", "text/plain"), exchange.body()));
                    exchange.respond(HandshakeResponse.text(200, delivered ? "delivered" : "nobody waits"));
                    return;
                }
                exchange.onAbandon(abandoned::countDown);
                held.add(exchange);
            };
        }
    }

    private static String post(String path, String body, String... extraLines) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length + "\r\n"
                + String.join("", java.util.Arrays.stream(extraLines).map(l -> l + "\r\n").toList()) + "\r\n" + body;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aHeldGetIsCompletedByAnotherRequest(Transport transport) throws Exception {
        LongPoll poll = new LongPoll();
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder()).http("/poll", poll.handler()).start();
             RawClient getter = new RawClient(server.port());
             RawClient poster = new RawClient(server.port())) {
            getter.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpExchange held = poll.held.poll(WAIT, TimeUnit.SECONDS);
            assertTrue(held.isOpen(), "held, not answered");
            poll.held.add(held);
            poster.send(post("/poll", "42[\"hello\"]"));
            RawClient.Response posted = poster.readResponse();
            assertEquals("delivered", posted.body());
            RawClient.Response polled = getter.readResponse();
            assertEquals(200, polled.status());
            assertEquals("42[\"hello\"]", polled.body());
            assertFalse(held.isOpen());
            assertFalse(held.respond(HandshakeResponse.text(200, "again")), "at most once");
            assertEquals(1, poll.abandoned.getCount(), "an answered exchange is not abandoned");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aBodyAtTheLimitIsReadAndOneAboveIs413(Transport transport) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpHandler echo = exchange -> {
            calls.incrementAndGet();
            exchange.respond(new HandshakeResponse(200, "OK", HttpHeaders.empty(), exchange.body()));
        };
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/*", echo).maxHttpBodySize(1000).start();
             RawClient atLimit = new RawClient(server.port());
             RawClient above = new RawClient(server.port())) {
            String thousand = "x".repeat(1000);
            atLimit.send(post("/echo", thousand));
            assertEquals(thousand, atLimit.readResponse().body());
            above.send(post("/echo", thousand + "y"));
            RawClient.Response refused = above.readResponse();
            assertEquals(413, refused.status());
            assertTrue(refused.closes(), refused.head());
            assertEquals(1, calls.get(), "the handler never sees a body over the limit");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aChunkedBodyIsReadWhole(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/*", exchange -> exchange.respond(new HandshakeResponse(200, "OK", HttpHeaders.empty(), exchange.body())))
                .maxHttpBodySize(10).start();
             RawClient raw = new RawClient(server.port());
             RawClient tooBig = new RawClient(server.port());
             RawClient malformed = new RawClient(server.port())) {
            raw.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            raw.send("4;ext=1\r\nWiki\r\n");
            raw.send("5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n");
            assertEquals("Wikipedia", raw.readResponse().body());
            tooBig.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
            assertEquals(413, tooBig.readResponse().status());
            malformed.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
            assertEquals(400, malformed.readResponse().status());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void twoExchangesOnOneConnectionThenAnUpgrade(Transport transport) throws Exception {
        Recorder recorder = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/ws", recorder)
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "page " + request.path())))
                .start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response first = raw.readResponse();
            assertEquals("page /one", first.body());
            assertFalse(first.closes(), "HTTP/1.1 keeps the connection by default");
            raw.send(post("/two", "body"));
            assertEquals("page /two", raw.readResponse().body());
            assertEquals(101, RawClient.status(raw.upgrade("/ws")));
            recorder.nextOf(Recorder.Open.class);
            raw.sendText("after two exchanges");
            assertEquals("after two exchanges", recorder.nextOf(Recorder.Text.class).text());
            assertEquals(1, server.connectionCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void connectionCloseAndHttp10EndTheConnection(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "hi"))).start();
             RawClient close = new RawClient(server.port());
             RawClient old = new RawClient(server.port());
             RawClient oldKept = new RawClient(server.port())) {
            close.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String all = close.readAll();
            assertTrue(all.contains("Connection: close\r\n") && all.endsWith("hi"), all);
            old.send("GET / HTTP/1.0\r\n\r\n");
            assertTrue(old.readAll().endsWith("hi"), "HTTP/1.0 closes after the response");
            oldKept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Response kept = oldKept.readResponse();
            assertTrue(kept.head().contains("Connection: keep-alive\r\n"), kept.head());
            oldKept.send("GET / HTTP/1.0\r\n\r\n");
            assertEquals("hi", oldKept.readResponse().body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aClientLeavingWhileHeldAbandonsTheExchange(Transport transport) throws Exception {
        LongPoll poll = new LongPoll();
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder()).http("/poll", poll.handler()).start()) {
            HttpExchange held;
            try (RawClient getter = new RawClient(server.port())) {
                getter.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
                held = poll.held.poll(WAIT, TimeUnit.SECONDS);
            }
            assertTrue(poll.abandoned.await(WAIT, TimeUnit.SECONDS), "onAbandon ran");
            assertFalse(held.isOpen());
            assertFalse(held.respond(HandshakeResponse.text(200, "too late")));
            CountDownLatch late = new CountDownLatch(1);
            held.onAbandon(late::countDown);
            assertEquals(0, late.getCount(), "an action added after the end runs at once");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void shutdownAbandonsAHeldExchangeAndDoesNotWaitForIt(Transport transport) throws Exception {
        LongPoll poll = new LongPoll();
        WebSocketServer server = Support.server(transport).route("/ws", new Recorder()).http("/poll", poll.handler()).start();
        try (RawClient getter = new RawClient(server.port())) {
            getter.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpExchange held = poll.held.poll(WAIT, TimeUnit.SECONDS);
            CompletableFuture<Void> stopped = server.shutdown(Duration.ofMinutes(5));
            stopped.get(WAIT, TimeUnit.SECONDS); // far less than the grace: a held exchange is not waited for
            assertTrue(poll.abandoned.await(WAIT, TimeUnit.SECONDS));
            assertFalse(held.isOpen());
            assertEquals(-1, getter.in.read(), "the connection is closed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aThrowingHandlerIs500AndTheConnectionGoesOn(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/boom", exchange -> {
                    throw new IllegalStateException("handler bug (expected in this test)");
                })
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "fine"))).start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(500, raw.readResponse().status());
            raw.send("HEAD /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = raw.readHead();
            assertEquals(200, RawClient.status(head));
            assertTrue(head.contains("Content-Length: 4\r\n"), "HEAD: the length of the body not sent: " + head);
            raw.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("fine", raw.readResponse().body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void expectContinueGetsA100BeforeTheBody(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/*", exchange -> exchange.respond(new HandshakeResponse(200, "OK", HttpHeaders.empty(), exchange.body())))
                .start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, RawClient.status(raw.readHead()));
            raw.send("abc");
            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), raw.readResponse().body().getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void anIdleKeptConnectionIsClosedAfterTheHandshakeTimeout(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "hi"))).start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hi", raw.readResponse().body());
            // the handshake timeout is 2 s; the client's read waits up to Support.WAIT
            assertEquals(-1, raw.in.read(), "closed after the idle bound");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aLongHeadInPiecesThenAPipelinedRequestWaitingBehindAHeldOne(Transport transport) throws Exception {
        LongPoll poll = new LongPoll();
        try (WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/poll", poll.handler())
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200,
                        request.path() + " " + request.header("X-Long").orElse("").length())))
                .start();
             RawClient raw = new RawClient(server.port())) {
            String head = "GET /long HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(6000) + "\r\n\r\n";
            for (int i = 0; i < head.length(); i += 1000) {
                raw.send(head.substring(i, Math.min(head.length(), i + 1000)));
            }
            assertEquals("/long 6000", raw.readResponse().body());
            // a held GET, and a request pipelined behind it: answered after it, in order (RFC 9112 section 9.3.2)
            raw.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpExchange held = poll.held.poll(WAIT, TimeUnit.SECONDS);
            assertTrue(held.respond(HandshakeResponse.text(200, "first")));
            assertEquals("first", raw.readResponse().body());
            assertEquals("/after 0", raw.readResponse().body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void shutdownEndsAResponseStuckOnAClientThatDoesNotRead(Transport transport) throws Exception {
        byte[] large = new byte[64 << 20]; // far more than the socket buffers hold
        CountDownLatch writing = new CountDownLatch(1);
        WebSocketServer server = Support.server(transport).route("/ws", new Recorder())
                .http("/*", exchange -> {
                    writing.countDown();
                    exchange.respond(new HandshakeResponse(200, "OK", HttpHeaders.empty(), large));
                }).start();
        try (RawClient raw = new RawClient(server.port(), 4096)) {
            raw.send("GET /large HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(writing.await(WAIT, TimeUnit.SECONDS));
            // the client reads nothing; the close timeout (2 s) bounds the wait for the write
            server.shutdown(Duration.ofSeconds(1)).get(WAIT, TimeUnit.SECONDS);
            assertEquals(0, ((ws.transport.stream.StreamServer) server).liveCount());
        }
    }
}

