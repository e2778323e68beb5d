package ws.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import ws.protocol.CloseCodes;
import ws.protocol.Hex;
import ws.protocol.Limits;
import ws.protocol.engine.Engines.Feed;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;

/** RFC 6455 section 4 as the engines drive it: the opening handshake, then the switch to frames. */
@DisplayName("RFC 6455 section 4: the opening handshake in the engines")
class Rfc6455Section4OpeningHandshakeTest {

    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String output(Protocol engine) {
        return new String(Hex.concat(engine.dataToSend()), StandardCharsets.ISO_8859_1);
    }

    @Nested
    @DisplayName("4.2 server")
    class Server {
        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("section 1.3's sample request, accepted: 101 with Sec-WebSocket-Accept s3pPLMBiTxaQ9kYGzzhZRbK+xOo= and the chosen subprotocol")
        void accept(Feed feed) {
            ServerProtocol server = ServerProtocol.create(Engines.config());
            assertEquals(ProtocolState.CONNECTING, server.state());
            feed.feed(server, ascii(Engines.request(SAMPLE_KEY, "Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n")));
            ProtocolEvent.RequestReceived received = assertInstanceOf(ProtocolEvent.RequestReceived.class, server.events().get(0));
            assertEquals("/chat", received.request().path());
            assertThrows(IllegalStateException.class, () -> server.sendText("too early"));
            assertThrows(IllegalArgumentException.class, () -> server.accept("mqtt", HttpHeaders.empty()));
            assertEquals(ProtocolState.CONNECTING, server.state());

            server.accept("chat", HttpHeaders.of("Set-Cookie", "a=b"));
            String response = output(server);
            assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), response);
            assertTrue(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), response);
            assertTrue(response.contains("Sec-WebSocket-Protocol: chat\r\n"), response);
            assertTrue(response.contains("Set-Cookie: a=b\r\n"), response);
            ProtocolEvent.Opened opened = assertInstanceOf(ProtocolEvent.Opened.class, server.events().get(0));
            assertEquals("chat", opened.subprotocol());
            assertEquals(101, opened.response().status());
            assertEquals("chat", server.subprotocol());
            assertEquals(ProtocolState.OPEN, server.state());
            assertThrows(IllegalStateException.class, () -> server.accept("", HttpHeaders.empty()));
        }

        @Test
        @DisplayName("frames sent right behind the request are held and read once the connection is accepted")
        void framesBehindRequest() {
            ServerProtocol server = ServerProtocol.create(Engines.config());
            server.receiveData(ByteBuffer.wrap(Hex.concat(ascii(Engines.request(SAMPLE_KEY, "")),
                    Hex.frame(0x81, "early".getBytes(), true, 7))));
            assertInstanceOf(ProtocolEvent.RequestReceived.class, server.events().get(0));
            server.receiveData(ByteBuffer.wrap(Hex.frame(0x81, "bird".getBytes(), true, 9)));
            server.accept("", HttpHeaders.empty());
            List<ProtocolEvent> events = server.events();
            assertInstanceOf(ProtocolEvent.Opened.class, events.get(0));
            assertEquals(List.of(new ProtocolEvent.TextMessage("early"), new ProtocolEvent.TextMessage("bird")), events.subList(1, 3));
        }

        @Test
        @DisplayName("a request head the transport already parsed: validated and decided as if the engine had read it; the frames behind it follow as data")
        void parsedHead() throws Exception {
            byte[] head = ascii(Engines.request(SAMPLE_KEY, "Sec-WebSocket-Protocol: chat\r\n"));
            HandshakeRequest request = HttpHeadParser.requests(8192).parseRequest(ByteBuffer.wrap(head));
            ServerProtocol server = ServerProtocol.create(Engines.config(), request);
            ProtocolEvent.RequestReceived received = assertInstanceOf(ProtocolEvent.RequestReceived.class, server.events().get(0));
            assertEquals(request, received.request());
            server.receiveData(ByteBuffer.wrap(Hex.frame(0x81, "early".getBytes(), true, 7)));
            server.accept("chat", HttpHeaders.empty());
            assertTrue(output(server).contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
            List<ProtocolEvent> events = server.events();
            assertInstanceOf(ProtocolEvent.Opened.class, events.get(0));
            assertEquals(new ProtocolEvent.TextMessage("early"), events.get(1));
        }

        @Test
        @DisplayName("a parsed head that is no valid upgrade (version 8): refused with 426 as if read, Closed with 1006")
        void parsedHeadInvalid() throws Exception {
            HandshakeRequest request = HttpHeadParser.requests(8192).parseRequest(ByteBuffer.wrap(ascii(
                    "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                            + SAMPLE_KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n")));
            ServerProtocol server = ServerProtocol.create(Engines.config(), request);
            List<ProtocolEvent> events = server.events();
            assertEquals(426, assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0)).error().status());
            assertInstanceOf(ProtocolEvent.Closed.class, events.get(1));
            assertTrue(output(server).startsWith("HTTP/1.1 426 "));
            assertEquals(ProtocolState.CLOSED, server.state());
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("an invalid upgrade (no key): 400 queued, Rejected, Closed with 1006")
        void invalidRequest(Feed feed) {
            ServerProtocol server = ServerProtocol.create(Engines.config());
            feed.feed(server, ascii("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            List<ProtocolEvent> events = server.events();
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertEquals(400, rejected.error().status());
            assertEquals(400, rejected.response().status());
            ProtocolEvent.Closed closed = assertInstanceOf(ProtocolEvent.Closed.class, events.get(1));
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, closed.status().code());
            assertEquals(rejected.error(), closed.status().cause());
            assertTrue(output(server).startsWith("HTTP/1.1 400 "));
            assertEquals(ProtocolState.CLOSED, server.state());
            server.receiveData(ByteBuffer.wrap(ascii("more")));
            assertEquals(List.of(), server.events());
        }

        @Test
        @DisplayName("a head over maxHandshakeHeaderBytes: 431")
        void headTooLarge() {
            ServerProtocol server = ServerProtocol.create(Engines.config().withLimits(Limits.DEFAULT.withMaxHandshakeHeaderBytes(300)));
            server.receiveData(ByteBuffer.wrap(ascii(Engines.request(SAMPLE_KEY, "X-Filler: " + "f".repeat(300) + "\r\n"))));
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, server.events().get(0));
            assertEquals(431, rejected.error().status());
            assertTrue(output(server).startsWith("HTTP/1.1 431 "));
        }

        @Test
        @DisplayName("a plain HTTP request is handed to the driver, which responds; Connection: close is added")
        void plainHttp() {
            ServerProtocol server = ServerProtocol.create(Engines.config());
            server.receiveData(ByteBuffer.wrap(ascii("GET /index.html HTTP/1.1\r\nHost: h\r\n\r\n")));
            ProtocolEvent.HttpRequestReceived received = assertInstanceOf(ProtocolEvent.HttpRequestReceived.class, server.events().get(0));
            assertEquals("/index.html", received.request().path());
            assertThrows(IllegalStateException.class, () -> server.accept("", HttpHeaders.empty()));
            server.respond(HandshakeResponse.text(404, "no such page"));
            String response = output(server);
            assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response);
            assertTrue(response.contains("Connection: close\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\nno such page"), response);
            assertInstanceOf(ProtocolEvent.Closed.class, server.events().get(0));
            assertEquals(ProtocolState.CLOSED, server.state());
        }

        @Test
        @DisplayName("the driver rejects the upgrade: its response with Connection: close, Rejected, Closed")
        void rejectByDriver() {
            ServerProtocol server = ServerProtocol.create(Engines.config());
            assertThrows(IllegalStateException.class, () -> server.reject(HandshakeResponse.text(403, "no")));
            server.receiveData(ByteBuffer.wrap(ascii(Engines.request(SAMPLE_KEY, ""))));
            server.events();
            server.reject(HandshakeResponse.text(403, "origin not allowed"));
            String response = output(server);
            assertTrue(response.startsWith("HTTP/1.1 403 Forbidden\r\n"), response);
            assertTrue(response.contains("Connection: close\r\n"), response);
            List<ProtocolEvent> events = server.events();
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertEquals(403, rejected.error().status());
            assertInstanceOf(ProtocolEvent.Closed.class, events.get(1));
        }

        @Test
        @DisplayName("the input ends during the handshake: Closed with 1006")
        void eofDuringHandshake() {
            ServerProtocol server = ServerProtocol.create(Engines.config());
            server.receiveData(ByteBuffer.wrap(ascii("GET / HTTP/1.1\r\n")));
            server.receiveEof();
            ProtocolEvent.Closed closed = assertInstanceOf(ProtocolEvent.Closed.class, server.events().get(0));
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, closed.status().code());
        }
    }

    @Nested
    @DisplayName("4.1 client")
    class Client {
        static ClientProtocol create() {
            return ClientProtocol.create(Engines.config(), URI.create("ws://example.com:8080/chat?x=1"), List.of("chat", "superchat"),
                    HttpHeaders.of("Origin", "http://example.com"));
        }

        @ParameterizedTest
        @EnumSource(Feed.class)
        @DisplayName("the request is queued at creation; a valid 101 opens; frames in the same read are parsed")
        void opens(Feed feed) {
            ClientProtocol client = create();
            String request = output(client);
            assertTrue(request.startsWith("GET /chat?x=1 HTTP/1.1\r\n"), request);
            assertTrue(request.contains("Host: example.com:8080\r\n"), request);
            assertTrue(request.contains("Sec-WebSocket-Protocol: chat, superchat\r\n"), request);
            assertTrue(request.contains("Origin: http://example.com\r\n"), request);
            assertEquals(ProtocolState.CONNECTING, client.state());
            assertThrows(IllegalStateException.class, () -> client.sendText("too early"));

            String key = client.request().headers().first("Sec-WebSocket-Key").orElseThrow();
            feed.feed(client, Hex.concat(Engines.response(key, HttpHeaders.of("Sec-WebSocket-Protocol", "superchat")),
                    Hex.bytes("81 05 48 65 6c 6c 6f")));
            List<ProtocolEvent> events = client.events();
            ProtocolEvent.Opened opened = assertInstanceOf(ProtocolEvent.Opened.class, events.get(0));
            assertEquals("superchat", opened.subprotocol());
            assertEquals(client.request(), opened.request());
            assertEquals(new ProtocolEvent.TextMessage("Hello"), events.get(1));
            assertEquals(ProtocolState.OPEN, client.state());
        }

        @Test
        @DisplayName("the key comes from the injected random source: the same seed gives the same request")
        void deterministicKey() {
            assertEquals(create().request(), create().request());
        }

        @Test
        @DisplayName("a wrong Sec-WebSocket-Accept: Rejected with the response, Closed with 1006")
        void wrongAccept() {
            ClientProtocol client = create();
            client.receiveData(ByteBuffer.wrap(Engines.response("AAAAAAAAAAAAAAAAAAAAAA==", HttpHeaders.empty())));
            List<ProtocolEvent> events = client.events();
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertEquals(101, rejected.response().status());
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, assertInstanceOf(ProtocolEvent.Closed.class, events.get(1)).status().code());
            assertEquals(ProtocolState.CLOSED, client.state());
        }

        @Test
        @DisplayName("a non-101 status: Rejected carrying that status")
        void refusedByServer() {
            ClientProtocol client = create();
            client.receiveData(ByteBuffer.wrap(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")));
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, client.events().get(0));
            assertEquals(403, rejected.error().status());
        }

        @Test
        @DisplayName("the input ends before the response: Rejected with no response, Closed with 1006")
        void eofBeforeResponse() {
            ClientProtocol client = create();
            client.receiveData(ByteBuffer.wrap(ascii("HTTP/1.1 101 Swi")));
            client.receiveEof();
            List<ProtocolEvent> events = client.events();
            ProtocolEvent.Rejected rejected = assertInstanceOf(ProtocolEvent.Rejected.class, events.get(0));
            assertNull(rejected.response());
            assertInstanceOf(ProtocolEvent.Closed.class, events.get(1));
        }

        @Test
        @DisplayName("fail() during the handshake sends nothing and ends with Closed")
        void failDuringHandshake() {
            ClientProtocol client = create();
            client.dataToSend();
            client.fail(CloseCodes.GOING_AWAY, "timeout", null);
            assertEquals(List.of(), client.dataToSend());
            assertEquals(1001, assertInstanceOf(ProtocolEvent.Closed.class, client.events().get(0)).status().code());
        }

        @Test
        @DisplayName("headers the protocol owns are refused at creation")
        void ownedHeaders() {
            assertThrows(IllegalArgumentException.class, () -> ClientProtocol.create(Engines.config(), URI.create("ws://h/"),
                    List.of(), HttpHeaders.of("Sec-WebSocket-Key", "x")));
        }
    }
}
