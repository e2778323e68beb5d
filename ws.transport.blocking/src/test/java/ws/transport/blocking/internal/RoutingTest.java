package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.api.HandshakeDecision;
import ws.protocol.api.HandshakeInterceptor;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/** How a server routes upgrade requests and answers plain HTTP (no sockets: a server bound to nothing). */
class RoutingTest {
    private static final WebSocketListener CHAT = new WebSocketListener() { };
    private static final WebSocketListener PLAIN = new WebSocketListener() { };
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5555);
    private SocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SocketServer start(ServerOptions.Builder builder) throws Exception {
        server = SocketServer.start(builder.port(-1).build(), TransportSettings.platformThreads());
        return server;
    }

    private static HandshakeRequest request(String target, String... headers) {
        return new HandshakeRequest("GET", target, "HTTP/1.1", HttpHeaders.of(headers));
    }

    @Test
    void unboundServerHasNoAddress() throws Exception {
        start(WebSocketServer.builder().route("/a", PLAIN));
        assertNull(server.address());
        assertEquals(-1, server.port());
    }

    @Nested
    class Rfc6455Section4_2_RoutingByPathAndSubprotocol {
        @Test
        void noRouteForThePathIs404() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT));
            var reject = assertInstanceOf(ConnectionHost.Reject.class, server.decide(request("/other"), PEER));
            assertEquals(404, reject.response().status());
        }

        @Test
        void theRouteSpeakingAnOfferedSubprotocolWins() throws Exception {
            start(WebSocketServer.builder().route("/chat", PLAIN).route("/chat", List.of("v2.chat", "v1.chat"), CHAT));
            var accept = assertInstanceOf(ConnectionHost.Accept.class,
                    server.decide(request("/chat?x=1", "Sec-WebSocket-Protocol", "v1.chat, v2.chat"), PEER));
            assertSame(CHAT, accept.listener());
            assertEquals("v2.chat", accept.subprotocol(), "the route's preference");
        }

        @Test
        void noCommonSubprotocolFallsBackToARouteThatSpeaksNone() throws Exception {
            start(WebSocketServer.builder().route("/chat", List.of("v1.chat"), CHAT).route("/chat", PLAIN));
            var accept = assertInstanceOf(ConnectionHost.Accept.class,
                    server.decide(request("/chat", "Sec-WebSocket-Protocol", "mqtt"), PEER));
            assertSame(PLAIN, accept.listener());
            assertEquals("", accept.subprotocol());
        }

        @Test
        void noCommonSubprotocolAndNoPlainRouteIsRefused() throws Exception {
            start(WebSocketServer.builder().route("/chat", List.of("v1.chat"), CHAT));
            var reject = assertInstanceOf(ConnectionHost.Reject.class,
                    server.decide(request("/chat", "Sec-WebSocket-Protocol", "mqtt"), PEER));
            assertEquals(400, reject.response().status());
            assertTrue(new String(reject.response().body(), StandardCharsets.UTF_8).contains("v1.chat"));
        }

        @Test
        void aPrefixRouteMatchesBelowIt() throws Exception {
            start(WebSocketServer.builder().route("/rooms/*", CHAT));
            assertInstanceOf(ConnectionHost.Accept.class, server.decide(request("/rooms/42"), PEER));
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
            var accept = assertInstanceOf(ConnectionHost.Accept.class,
                    server.decide(request("/chat?token=alice", "Sec-WebSocket-Protocol", "v1.chat, v2.chat"), PEER));
            assertEquals("alice", accept.attributes().get("user"));
            assertEquals("a=b", accept.headers().first("Set-Cookie").orElseThrow());
            assertEquals("v1.chat", accept.subprotocol());
        }

        @Test
        void rejectPassesTheResponseThrough() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT)
                    .interceptor(HandshakeInterceptor.allowOrigins(List.of("https://good.example"))));
            var reject = assertInstanceOf(ConnectionHost.Reject.class,
                    server.decide(request("/chat", "Origin", "https://evil.example"), PEER));
            assertEquals(403, reject.response().status());
        }

        @Test
        void anExceptionIs500() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT).interceptor((request, remote) -> {
                throw new IllegalStateException("database down");
            }));
            var reject = assertInstanceOf(ConnectionHost.Reject.class, server.decide(request("/chat"), PEER));
            assertEquals(500, reject.response().status());
        }

        @Test
        void itSeesTheRemoteAddress() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT).interceptor((request, remote) ->
                    remote.equals(PEER) ? HandshakeDecision.accept() : HandshakeDecision.reject(403, "who?")));
            assertInstanceOf(ConnectionHost.Accept.class, server.decide(request("/chat"), PEER));
        }
    }

    @Nested
    class PlainHttp {
        @Test
        void aRoutePathAnswers426WithTheUpgradeHeaders() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT));
            HandshakeResponse response = server.answer(request("/chat"));
            assertEquals(426, response.status());
            assertEquals("13", response.headers().first("Sec-WebSocket-Version").orElseThrow());
            assertEquals("websocket", response.headers().first("Upgrade").orElseThrow());
        }

        @Test
        void elsewhere404() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT));
            assertEquals(404, server.answer(request("/index.html")).status());
        }

        @Test
        void theHandlerAnswersWhenThereIsOne() throws Exception {
            start(WebSocketServer.builder().route("/chat", CHAT)
                    .httpHandler(request -> HandshakeResponse.text(200, "hello " + request.path())));
            HandshakeResponse response = server.answer(request("/health"));
            assertEquals(200, response.status());
            assertEquals("hello /health", new String(response.body(), StandardCharsets.UTF_8));
        }
    }
}
