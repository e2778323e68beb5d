package ws.protocol.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import ws.protocol.api.HandshakeDecision;
import ws.protocol.api.HandshakeInterceptor;
import ws.protocol.api.HttpExchange;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/** How every server routes upgrade requests, runs its interceptors and answers plain HTTP: no transport at all. */
class ServerCoreTest {
    private static final WebSocketListener CHAT = new WebSocketListener() { };
    private static final WebSocketListener PLAIN = new WebSocketListener() { };
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5555);
    private ServerCore server;

    private ServerCore start(ServerOptions.Builder builder) {
        server = new ServerCore(builder.build());
        return server;
    }

    /** The response the core's handler for {@code request} sends. */
    private HandshakeResponse answer(HandshakeRequest request) throws Exception {
        AtomicReference<HandshakeResponse> sent = new AtomicReference<>();
        server.httpHandler(request).handle(new HttpExchange() {
            public HandshakeRequest request() {
                return request;
            }

            public byte[] body() {
                return new byte[0];
            }

            public SocketAddress remoteAddress() {
                return PEER;
            }

            public boolean respond(HandshakeResponse response) {
                return sent.compareAndSet(null, response);
            }

            public boolean isOpen() {
                return sent.get() == null;
            }

            public void onAbandon(Runnable action) {
            }
        });
        return sent.get();
    }

    private static HandshakeRequest request(String target, String... headers) {
        return new HandshakeRequest("GET", target, "HTTP/1.1", HttpHeaders.of(headers));
    }

    @Nested
    class Rfc6455Section4_2_RoutingByPathAndSubprotocol {
        @Test
        void noRouteForThePathIs404() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class, server.decide(request("/other"), PEER));
            assertEquals(404, reject.response().status());
        }

        @Test
        void theRouteSpeakingAnOfferedSubprotocolWins() throws Exception {
            start(WebSocketServer.builder().route("/chat", PLAIN).route("/chat", List.of("v2.chat", "v1.chat"), CHAT));
            var accept = assertInstanceOf(UpgradeDecision.Accept.class,
                    server.decide(request("/chat?x=1", "Sec-WebSocket-Protocol", "v1.chat, v2.chat"), PEER));
            assertSame(CHAT, accept.listener());
            assertEquals("v2.chat", accept.subprotocol(), "the route's preference");
        }

        @Test
        void noCommonSubprotocolFallsBackToARouteThatSpeaksNone() throws Exception {
            start(WebSocketServer.builder().route("/chat", List.of("v1.chat"), CHAT).route("/chat", PLAIN));
            var accept = assertInstanceOf(UpgradeDecision.Accept.class,
                    server.decide(request("/chat", "Sec-WebSocket-Protocol", "mqtt"), PEER));
            assertSame(PLAIN, accept.listener());
            assertEquals("", accept.subprotocol());
        }

        @Test
        void noCommonSubprotocolAndNoPlainRouteIsRefused() throws Exception {
            start(WebSocketServer.builder().route("/chat", List.of("v1.chat"), CHAT));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class,
                    server.decide(request("/chat", "Sec-WebSocket-Protocol", "mqtt"), PEER));
            assertEquals(400, reject.response().status());
            assertTrue(new String(reject.response().body(), StandardCharsets.UTF_8).contains("v1.chat"));
        }

        @Test
        void aPrefixRouteMatchesBelowIt() throws Exception {
            start(WebSocketServer.builder().route("/rooms/*", CHAT));
            assertInstanceOf(UpgradeDecision.Accept.class, server.decide(request("/rooms/42"), PEER));
        }
    }

    @Nested
    class Interceptor {
        @Test
        void acceptWithAttributesHeadersAndSubprotocol() throws Exception {
            HandshakeInterceptor interceptor = (request, remote) -> HandshakeDecision.accept()
                    .withAttribute("user", request.queryParameter("token").orElse("?"))
                    .withHeader("Set-Cookie", "a=b")
                    .withSubprotocol("v1.chat");
            start(WebSocketServer.builder().route("/chat", List.of("v2.chat", "v1.chat"), CHAT).interceptor(interceptor));
            var accept = assertInstanceOf(UpgradeDecision.Accept.class,
                    server.decide(request("/chat?token=alice", "Sec-WebSocket-Protocol", "v1.chat, v2.chat"), PEER));
            assertEquals("alice", accept.attributes().get("user"));
            assertEquals("a=b", accept.headers().first("Set-Cookie").orElseThrow());
            assertEquals("v1.chat", accept.subprotocol());
        }

        @Test
        void rejectPassesTheResponseThrough() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT)
                    .interceptor(HandshakeInterceptor.allowOrigins(List.of("https://good.example"))));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class,
                    server.decide(request("/chat", "Origin", "https://evil.example"), PEER));
            assertEquals(403, reject.response().status());
        }

        @Test
        void anExceptionIs500() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT).interceptor((request, remote) -> {
                throw new IllegalStateException("database down");
            }));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class, server.decide(request("/chat"), PEER));
            assertEquals(500, reject.response().status());
            assertInstanceOf(IllegalStateException.class, reject.failure(), "for the transport's log");
        }

        @Test
        void itSeesTheRemoteAddress() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT).interceptor((request, remote) ->
                    remote.equals(PEER) ? HandshakeDecision.accept() : HandshakeDecision.reject(403, "who?")));
            assertInstanceOf(UpgradeDecision.Accept.class, server.decide(request("/chat"), PEER));
        }
    }

    @Nested
    class PlainHttp {
        @Test
        void aRoutePathAnswers426WithTheUpgradeHeaders() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT));
            HandshakeResponse response = answer(request("/chat"));
            assertEquals(426, response.status());
            assertEquals("13", response.headers().first("Sec-WebSocket-Version").orElseThrow());
            assertEquals("websocket", response.headers().first("Upgrade").orElseThrow());
        }

        @Test
        void elsewhere404() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT));
            assertEquals(404, answer(request("/index.html")).status());
        }

        @Test
        void theHandlerAnswersWhenThereIsOne() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT)
                    .http("/health", HttpHandler.responding(request -> HandshakeResponse.text(200, "hello " + request.path()))));
            HandshakeResponse response = answer(request("/health"));
            assertEquals(200, response.status());
            assertEquals("hello /health", new String(response.body(), StandardCharsets.UTF_8));
        }

        @Test
        void theFirstMatchingHandlerWinsAndOthersFallThroughTo404() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT)
                    .http("/api/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "api")))
                    .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "any"))));
            assertEquals("api", new String(answer(request("/api/users")).body(), StandardCharsets.UTF_8));
            assertEquals("api", new String(answer(request("/api")).body(), StandardCharsets.UTF_8));
            assertEquals("any", new String(answer(request("/chat")).body(), StandardCharsets.UTF_8),
                    "a handler on the path wins over the 426");
            start(WebSocketServer.builder().route("/chat", CHAT)
                    .http("/api/*", HttpHandler.responding(request -> HandshakeResponse.text(200, "api"))));
            assertEquals(404, answer(request("/apix")).status());
        }
    }

    @Nested
    class RouteInterceptor {
        private static final String JSON = "{\"error\":\"missing sid\"}";

        @Test
        void runsAfterTheServersAndMayRejectWithItsOwnBody() throws Exception {
            List<String> order = new ArrayList<>();
            start(WebSocketServer.builder()
                    .interceptor((request, remote) -> {
                        order.add("server");
                        return HandshakeDecision.accept();
                    })
                    .route("/engine.io/*", (request, remote) -> {
                        order.add("route");
                        return request.queryParameter("sid").isPresent() ? HandshakeDecision.accept()
                                : new HandshakeDecision.Reject(new HandshakeResponse(400, "Bad Request",
                                        HttpHeaders.of("Content-Type", "application/json"),
                                        JSON.getBytes(StandardCharsets.UTF_8)));
                    }, CHAT));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class, server.decide(request("/engine.io/"), PEER));
            assertEquals(List.of("server", "route"), order);
            assertEquals(400, reject.response().status());
            assertEquals(JSON, new String(reject.response().body(), StandardCharsets.UTF_8));
            assertNull(reject.failure());
        }

        @Test
        void isNotAskedWhenTheServersRejects() throws Exception {
            start(WebSocketServer.builder()
                    .interceptor((request, remote) -> HandshakeDecision.reject(401, "who?"))
                    .route("/chat", (request, remote) -> {
                        throw new AssertionError("the route's interceptor ran after a rejection");
                    }, CHAT));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class, server.decide(request("/chat"), PEER));
            assertEquals(401, reject.response().status());
        }

        @Test
        void bothAcceptTheRoutesAttributesAndSubprotocolWinHeadersAddUp() throws Exception {
            start(WebSocketServer.builder()
                    .interceptor((request, remote) -> HandshakeDecision.accept().withAttribute("user", "alice")
                            .withAttribute("role", "guest").withHeader("X-Server", "1"))
                    .route("/chat", List.of("v1", "v2"), (request, remote) -> HandshakeDecision.accept()
                            .withAttribute("role", "admin").withHeader("X-Route", "2").withSubprotocol("v2"), CHAT));
            var accept = assertInstanceOf(UpgradeDecision.Accept.class,
                    server.decide(request("/chat", "Sec-WebSocket-Protocol", "v1, v2"), PEER));
            assertEquals("alice", accept.attributes().get("user"));
            assertEquals("admin", accept.attributes().get("role"));
            assertEquals("1", accept.headers().first("X-Server").orElseThrow());
            assertEquals("2", accept.headers().first("X-Route").orElseThrow());
            assertEquals("v2", accept.subprotocol());
        }

        @Test
        void nullIs500() throws Exception {
            start(WebSocketServer.builder().route("/chat", (request, remote) -> null, CHAT));
            var reject = assertInstanceOf(UpgradeDecision.Reject.class, server.decide(request("/chat"), PEER));
            assertEquals(500, reject.response().status());
        }
    }
}
