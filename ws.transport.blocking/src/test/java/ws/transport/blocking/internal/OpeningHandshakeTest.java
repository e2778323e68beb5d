package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.HandshakeDecision;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeResponse;

/** RFC 6455 section 4 over real sockets: routing, the interceptor, plain HTTP, and what a bad request gets. */
class OpeningHandshakeTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void section4_2_2_acceptsWith101AndTheAcceptKey(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/chat", new Recorder()).start();
             RawClient raw = new RawClient(server.port())) {
            String head = raw.upgrade("/chat");
            assertEquals(101, RawClient.status(head), head);
            // RFC 6455 section 1.3: the sample key's accept value
            assertTrue(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void noRouteIs404(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/chat", new Recorder()).start();
             RawClient raw = new RawClient(server.port())) {
            assertEquals(404, RawClient.status(raw.upgrade("/nowhere")));
            assertTrue(raw.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void subprotocolSelectedByRoute(Transport transport) throws Exception {
        Recorder v1 = new Recorder();
        Recorder plain = new Recorder();
        try (WebSocketServer server = Support.server(transport)
                .route("/chat", List.of("v1.chat"), v1).route("/chat", plain).start();
             WebSocketClient client = Support.client(transport).subprotocols("v2.chat", "v1.chat").build();
             WebSocketClient noProtocols = Support.client(transport).build()) {
            WebSocket ws = client.connect(Support.uri(server, "/chat"), new Recorder()).get(30, TimeUnit.SECONDS);
            assertEquals("v1.chat", ws.subprotocol());
            assertEquals("v1.chat", v1.awaitOpen().subprotocol());
            WebSocket other = noProtocols.connect(Support.uri(server, "/chat"), new Recorder()).get(30, TimeUnit.SECONDS);
            assertEquals("", other.subprotocol());
            assertEquals("", plain.awaitOpen().subprotocol());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void interceptorAttributesAndRejection(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/chat", serverSide)
                .interceptor((request, remote) -> request.queryParameter("token").filter("secret"::equals).isPresent()
                        ? HandshakeDecision.accept().withAttribute("user", "alice").withHeader("X-Hello", "1")
                        : HandshakeDecision.reject(401, "token required"))
                .start();
             WebSocketClient client = Support.client(transport).header("Authorization", "Bearer abc")
                     .header("Origin", "https://app.example").build()) {
            client.connect(Support.uri(server, "/chat?token=secret"), new Recorder()).get(30, TimeUnit.SECONDS);
            WebSocket accepted = serverSide.awaitOpen();
            assertEquals("alice", accepted.attributes().get("user"));
            assertEquals("Bearer abc", accepted.request().header("Authorization").orElseThrow(), "the client's extra headers");
            assertEquals("https://app.example", accepted.request().origin().orElseThrow());

            Recorder refused = new Recorder();
            ExecutionException error = assertThrows(ExecutionException.class,
                    () -> client.connect(Support.uri(server, "/chat?token=wrong"), refused).get(30, TimeUnit.SECONDS));
            HandshakeException handshake = assertInstanceOf(HandshakeException.class, error.getCause());
            assertEquals(401, handshake.status());
            assertInstanceOf(HandshakeException.class, refused.next(Recorder.Error.class).error());
            assertEquals(1006, refused.next(Recorder.Close.class).status().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void interceptorExceptionIs500(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/chat", new Recorder())
                .interceptor((request, remote) -> {
                    throw new IllegalStateException("interceptor bug (expected in this test)");
                }).start();
             RawClient raw = new RawClient(server.port())) {
            assertEquals(500, RawClient.status(raw.upgrade("/chat")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void plainHttpGoesToTheHandler(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/chat", new Recorder())
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "page at " + request.path()))).start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertEquals(200, response.status(), response.head());
            assertEquals("page at /index.html", response.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void plainGetOnARouteIs426WithTheVersion(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/chat", new Recorder()).start();
             RawClient raw = new RawClient(server.port());
             RawClient other = new RawClient(server.port())) {
            raw.send("GET /chat HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response response = raw.readResponse();
            assertEquals(426, response.status(), response.head());
            assertTrue(response.head().contains("Sec-WebSocket-Version: 13"), response.head());
            other.send("GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(404, other.readResponse().status());
        }
    }

    /** Each bad request gets its status and a closed socket, while another client keeps being served. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void badRequestsGetTheirStatusWhileTheServerKeepsServing(Transport transport) throws Exception {
        Recorder echo = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).route("/echo", echo).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder good = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/echo"), good).get(30, TimeUnit.SECONDS);
            record Case(String name, String request, int status) {
            }
            List<Case> cases = List.of(
                    new Case("garbage", "\u0001\u0002 this is not HTTP at all\r\n\r\n", 400),
                    new Case("oversized headers", "GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431),
                    new Case("wrong version", RawClient.upgradeRequest("/echo").replace("Version: 13", "Version: 8"), 426),
                    new Case("missing key", RawClient.upgradeRequest("/echo").replace("Sec-WebSocket-Key: " + RawClient.KEY + "\r\n", ""), 400));
            for (Case c : cases) {
                try (RawClient raw = new RawClient(server.port())) {
                    raw.send(c.request().getBytes(StandardCharsets.ISO_8859_1));
                    String head = raw.readHead();
                    assertEquals(c.status(), RawClient.status(head), c.name() + ": " + head);
                    if (c.status() == 426) {
                        assertTrue(head.contains("Sec-WebSocket-Version: 13"), head);
                    }
                    assertTrue(raw.closedWithin(Duration.ofSeconds(5)), c.name() + ": socket left open");
                }
                ws.sendText("still here after " + c.name());
                assertEquals("still here after " + c.name(), good.nextOf(Recorder.Text.class).text());
            }
        }
    }

    /** A slowloris trickle is cut at the handshake timeout, measured over the whole handshake. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void slowlorisIsCutAtTheHandshakeTimeout(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withHandshakeTimeout(Duration.ofMillis(600)))
                .route("/echo", new Recorder()).start();
             RawClient raw = new RawClient(server.port())) {
            raw.send("GET /echo HTTP/1.1\r\n");
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    raw.send("X-Slow-" + i + ": 1\r\n");
                } catch (java.io.IOException reset) {
                    closed = true;
                    break;
                }
                closed = raw.closedWithin(Duration.ofMillis(100));
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(closed, "the server kept a trickling handshake open");
            assertTrue(elapsed < 5000, "closed only after " + elapsed + " ms");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void clientHandshakeTimeoutFailsTheFuture(Transport transport) throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withHandshakeTimeout(Duration.ofMillis(300))).build()) {
            Recorder recorder = new Recorder();
            var future = client.connect(java.net.URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/"), recorder);
            ExecutionException error = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertInstanceOf(java.util.concurrent.TimeoutException.class, error.getCause());
            assertInstanceOf(java.util.concurrent.TimeoutException.class, recorder.next(Recorder.Error.class).error());
            assertEquals(1006, recorder.next(Recorder.Close.class).status().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void connectionRefusedFailsTheFuture(Transport transport) throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        try (WebSocketClient client = Support.client(transport).build()) {
            Recorder recorder = new Recorder();
            var future = client.connect(java.net.URI.create("ws://127.0.0.1:" + port + "/"), recorder);
            ExecutionException error = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertInstanceOf(java.net.ConnectException.class, error.getCause());
            recorder.next(Recorder.Error.class);
            assertEquals(1006, recorder.next(Recorder.Close.class).status().code());
        }
    }

    /** A listener whose accept queue is full drops the SYN: the connect timeout fires. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void connectTimeoutFailsTheFuture(Transport transport) throws Exception {
        java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             WebSocketClient client = Support.client(transport).connectTimeout(Duration.ofMillis(300)).build()) {
            for (int i = 0; i < 3; i++) {
                java.net.Socket filler = new java.net.Socket();
                try {
                    filler.connect(full.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException queueAlreadyFull) {
                    // the queue is full: what we wanted
                }
                fillers.add(filler);
            }
            Recorder recorder = new Recorder();
            var future = client.connect(java.net.URI.create("ws://127.0.0.1:" + full.getLocalPort() + "/"), recorder);
            ExecutionException error = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
            assertInstanceOf(java.net.SocketTimeoutException.class, error.getCause());
            assertTrue(error.getCause().getMessage().contains("timed out after PT0.3S"), error.getCause().getMessage());
            assertEquals(1006, recorder.nextOf(Recorder.Close.class).status().code());
        } finally {
            for (java.net.Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
