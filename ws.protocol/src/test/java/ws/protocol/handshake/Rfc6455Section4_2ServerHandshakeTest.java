package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.protocol.handshake.Heads.request;
import static ws.protocol.handshake.Heads.upgrade;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.extension.ExtensionParameters;

/** RFC 6455 section 4.2: the server's side of the opening handshake. */
class Rfc6455Section4_2ServerHandshakeTest {

    private static HandshakeException rejected(String head) throws HandshakeException {
        HandshakeRequest request = request(head);
        return assertThrows(HandshakeException.class, () -> ServerHandshake.validate(request));
    }

    private static void assertRejected(int status, String rule, String head) throws HandshakeException {
        HandshakeException e = rejected(head);
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(rule), "message \"" + e.getMessage() + "\" should name " + rule);
    }

    private static void assertValid(String head) throws HandshakeException {
        HandshakeRequest request = request(head);
        assertDoesNotThrow(() -> ServerHandshake.validate(request));
    }

    private static String key(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    @Nested
    class Section4_2_1ReadingTheClientsHandshake {
        @Test
        void theBaseRequestIsValid() throws Exception {
            assertValid(upgrade());
        }

        @Test
        void item1MethodMustBeGet() throws Exception {
            for (String method : List.of("POST", "PUT", "HEAD", "get", "OPTIONS")) {
                HandshakeException e = rejected(upgrade().replaceFirst("GET", method));
                assertEquals(405, e.status());
                assertTrue(e.getMessage().contains("item 1") && e.getMessage().contains(method), e.getMessage());
            }
        }

        @Test
        void item1Http11OrLater() throws Exception {
            assertRejected(400, "HTTP/1.1 or later", upgrade().replace("HTTP/1.1", "HTTP/1.0"));
            assertValid(upgrade().replace("HTTP/1.1", "HTTP/1.2"));
        }

        @Test
        void item1TargetIsAResourceNameOrAnAbsoluteUri() throws Exception {
            assertValid(upgrade().replace("/chat", "http://server.example.com/chat"));
            assertValid(upgrade().replace("/chat", "wss://server.example.com/chat?x=1"));
            assertRejected(400, "item 1", upgrade().replace("/chat", "*"));
            assertRejected(400, "item 1", upgrade().replace("/chat", "server.example.com:80"));
            assertRejected(400, "item 1", upgrade().replace("/chat", "chat"));
        }

        @Test
        void item2HostExactlyOnce() throws Exception {
            assertRejected(400, "item 2", upgrade("Host", null));
            assertRejected(400, "item 2", upgrade("Host", "a.example\r\nHost: b.example"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"localhost", "example.com:8080", "127.0.0.1:9", "[::1]", "[::1]:8443", "[2001:db8::1]",
                "xn--caf-dma.example", "my_host:1", "a.example:"})
        void item2ValidHosts(String host) throws Exception {
            assertValid(upgrade("Host", host));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "a b", "example.com:80a", "[::1", "[::1]x", "[::g]", ":80", "a/b", "a@b", "example.com:123456"})
        void item2InvalidHosts(String host) throws Exception {
            assertRejected(400, "item 2", upgrade("Host", host));
        }

        @ParameterizedTest
        @ValueSource(strings = {"websocket", "WebSocket", "Websocket", "WEBSOCKET", "h2c, websocket", "websocket , foo"})
        void item3UpgradeTokenListContainsWebsocket(String upgrade) throws Exception {
            assertValid(upgrade("Upgrade", upgrade));
        }

        @ParameterizedTest
        @ValueSource(strings = {"h2c", "web socket", "websocket/13", "websockets", ""})
        void item3UpgradeWithoutWebsocketGets400(String upgrade) throws Exception {
            assertRejected(400, "item 3", upgrade("Upgrade", upgrade));
        }

        @Test
        void item3MissingUpgrade() throws Exception {
            assertRejected(400, "item 3", upgrade("Upgrade", null));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Upgrade", "upgrade", "UPGRADE", "keep-alive, Upgrade", "Upgrade,keep-alive", "keep-alive,  upgrade  ",
                "keep-alive\r\nConnection: Upgrade"})
        void item4ConnectionTokenListContainsUpgrade(String connection) throws Exception {
            assertValid(upgrade("Connection", connection));
        }

        @ParameterizedTest
        @ValueSource(strings = {"keep-alive", "close", "Upgrades", "keep-alive Upgrade", ""})
        void item4ConnectionWithoutUpgradeGets400(String connection) throws Exception {
            assertRejected(400, "item 4", upgrade("Connection", connection));
        }

        @Test
        void item4MissingConnection() throws Exception {
            assertRejected(400, "item 4", upgrade("Connection", null));
        }

        @Test
        void item5KeyOf16BytesIsValid() throws Exception {
            assertValid(upgrade("Sec-WebSocket-Key", key(16)));
            assertValid(upgrade("Sec-WebSocket-Key", "/////////////////////w=="));
        }

        @Test
        void item5KeyOf15Or17BytesGets400() throws Exception {
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", key(15)));
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", key(17)));
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", key(0)));
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", key(32)));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "dGhlIHNhbXBsZSBub25jZQ",      // 16 bytes, padding missing
                "dGhlIHNhbXBsZSBub25jZR==",    // non-zero padding bits
                "dGhlIHNhbXBsZSBub25jZQ=",     // short padding
                "dGhlIHNhbXBsZSBub25jZQ===",
                "dGhlIHNhbXBsZSBub25j!Q==",    // not in the alphabet
                "dGhlIHNhbXBsZSBub25jZ-==",    // base64url alphabet
                "dGhlIHNhbXBs ZSBub25jZQ==",
                "not a key",
        })
        void item5InvalidBase64Gets400(String key) throws Exception {
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", key));
        }

        @Test
        void item5KeyMissingOrRepeated() throws Exception {
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", null));
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", key(16) + "\r\nSec-WebSocket-Key: " + key(16)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"8", "12", "14", "7", "0", "13, 8", "013", "thirteen", ""})
        void item6VersionOtherThan13Gets426(String version) throws Exception {
            HandshakeException e = rejected(upgrade("Sec-WebSocket-Version", version));
            assertEquals(426, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("item 6"), e.getMessage());
            HandshakeResponse response = ServerHandshake.errorResponse(e);
            assertEquals(426, response.status());
            assertEquals("13", response.headers().first("Sec-WebSocket-Version").orElseThrow());
            assertTrue(response.headers().containsToken("Upgrade", "websocket"));
            assertTrue(response.headers().containsToken("Connection", "close"));
        }

        @Test
        void item6MissingVersionGets426() throws Exception {
            assertRejected(426, "item 6", upgrade("Sec-WebSocket-Version", null));
        }

        @Test
        void item6RepeatedVersionGets400() throws Exception {
            assertRejected(400, "item 6", upgrade("Sec-WebSocket-Version", "13\r\nSec-WebSocket-Version: 13"));
        }

        @Test
        void item7OriginIsNotRequired() throws Exception {
            assertValid(upgrade("Origin", "http://example.com"));
            assertValid(upgrade("Origin", "null"));
        }

        @Test
        void item8SubprotocolsAreTokens() throws Exception {
            assertValid(upgrade("Sec-WebSocket-Protocol", "chat, superchat"));
            assertValid(upgrade("Sec-WebSocket-Protocol", "chat\r\nSec-WebSocket-Protocol: v2.bookings.example.net"));
            assertRejected(400, "item 8", upgrade("Sec-WebSocket-Protocol", "chat, super chat"));
            assertRejected(400, "item 8", upgrade("Sec-WebSocket-Protocol", "chat; q=1"));
            assertRejected(400, "item 8", upgrade("Sec-WebSocket-Protocol", "\"chat\""));
        }

        @Test
        void item9ExtensionsMustBeWellFormed() throws Exception {
            assertValid(upgrade("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
            assertValid(upgrade("Sec-WebSocket-Extensions", "foo, bar; baz=2\r\nSec-WebSocket-Extensions: qux"));
            assertRejected(400, "item 9", upgrade("Sec-WebSocket-Extensions", "permessage-deflate; =10"));
            assertRejected(400, "item 9", upgrade("Sec-WebSocket-Extensions", "permessage-deflate;; x"));
            assertRejected(400, "item 9", upgrade("Sec-WebSocket-Extensions", "a b"));
        }

        @Test
        void aBodyIsRefused() throws Exception {
            assertValid(upgrade("Content-Length", "0"));
            assertRejected(400, "body", upgrade("Content-Length", "5"));
            assertRejected(400, "body", upgrade("Transfer-Encoding", "chunked"));
        }

        @Test
        void rulesAreCheckedInTheRfcsOrder() throws Exception {
            // wrong method and no key: the method (item 1) is reported
            assertEquals(405, rejected(upgrade("Sec-WebSocket-Key", null).replaceFirst("GET", "POST")).status());
            // bad key and bad version: the key (item 5) comes first
            assertRejected(400, "item 5", upgrade("Sec-WebSocket-Key", "x", "Sec-WebSocket-Version", "8"));
            // no Host and no Upgrade: Host (item 2) first
            assertRejected(400, "item 2", upgrade("Host", null, "Upgrade", null));
            // bad version and bad extensions: version (item 6) first
            assertRejected(426, "item 6", upgrade("Sec-WebSocket-Version", "8", "Sec-WebSocket-Extensions", ";"));
        }

        @Test
        void isUpgradeRequestLooksAtUpgradeOnly() throws Exception {
            assertTrue(ServerHandshake.isUpgradeRequest(request(upgrade())));
            assertTrue(ServerHandshake.isUpgradeRequest(request(upgrade("Upgrade", "h2c, WebSocket", "Connection", null))));
            assertTrue(ServerHandshake.isUpgradeRequest(request(upgrade().replaceFirst("GET", "POST"))));
            assertFalse(ServerHandshake.isUpgradeRequest(request(upgrade("Upgrade", null))));
            assertFalse(ServerHandshake.isUpgradeRequest(request(upgrade("Upgrade", "h2c"))));
            assertFalse(ServerHandshake.isUpgradeRequest(request("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n")));
        }
    }

    @Nested
    class Section4_2_2SendingTheServersHandshake {
        private final HandshakeRequest sample = assertDoesNotThrow(() -> request(Rfc6455Section1_3OpeningHandshakeTest.SAMPLE_REQUEST));

        @Test
        void acceptKeyOfTheSection1_3Sample() {
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ServerHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
        }

        @Test
        void acceptKeyOfOtherKeys() {
            // worked out independently: base64(SHA-1("AAAAAAAAAAAAAAAAAAAAAA==" + GUID))
            assertEquals("ICX+Yqv66kxgM0FcWaLWlFLwTAI=", ServerHandshake.acceptKey("AAAAAAAAAAAAAAAAAAAAAA=="));
            assertEquals(28, ServerHandshake.acceptKey("x3JJHMbDL1EzLkh9GBhXDw==").length());
        }

        @Test
        void acceptResponseHeadersInOrder() {
            List<ExtensionParameters> extensions = List.of(new ExtensionParameters("permessage-deflate").with("server_no_context_takeover", null));
            HandshakeResponse response = ServerHandshake.accept(sample, "chat", extensions, HttpHeaders.of("Set-Cookie", "id=1"));
            assertEquals(101, response.status());
            assertEquals("Switching Protocols", response.reason());
            assertEquals(List.of("upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions", "set-cookie"),
                    response.headers().names());
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response.headers().first("Sec-WebSocket-Accept").orElseThrow());
            assertEquals("permessage-deflate; server_no_context_takeover", response.headers().first("Sec-WebSocket-Extensions").orElseThrow());
            assertEquals("HTTP/1.1 101 Switching Protocols\r\n"
                            + "Upgrade: websocket\r\n"
                            + "Connection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                            + "Sec-WebSocket-Protocol: chat\r\n"
                            + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
                            + "Set-Cookie: id=1\r\n"
                            + "\r\n",
                    new String(ServerHandshake.encode(response), StandardCharsets.ISO_8859_1));
        }

        @Test
        void noSubprotocolNoExtensionsNoHeaders() {
            HandshakeResponse response = ServerHandshake.accept(sample, "", List.of(), HttpHeaders.empty());
            assertEquals(List.of("upgrade", "connection", "sec-websocket-accept"), response.headers().names());
        }

        @Test
        void aSubprotocolTheClientDidNotOfferIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerHandshake.accept(sample, "mqtt", List.of(), HttpHeaders.empty()));
            assertTrue(e.getMessage().contains("mqtt"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"Upgrade", "connection", "Sec-WebSocket-Accept", "sec-websocket-protocol", "Content-Length", "Transfer-Encoding"})
        void extraHeadersTheHandshakeOwnsAreRefused(String name) {
            assertThrows(IllegalArgumentException.class, () -> ServerHandshake.accept(sample, "", List.of(), HttpHeaders.of(name, "x")));
        }

        @Test
        void chooseSubprotocolFollowsTheClientsOrder() {
            assertEquals("superchat", ServerHandshake.chooseSubprotocol(List.of("superchat", "chat"), List.of("chat", "superchat")));
            assertEquals("chat", ServerHandshake.chooseSubprotocol(List.of("v1", "chat"), List.of("chat")));
            assertEquals("", ServerHandshake.chooseSubprotocol(List.of("a", "b"), List.of("c")));
            assertEquals("", ServerHandshake.chooseSubprotocol(List.of(), List.of("c")));
            assertEquals("", ServerHandshake.chooseSubprotocol(List.of("Chat"), List.of("chat")));
        }

        @Test
        void errorResponseFor400NamesTheRule() throws Exception {
            HandshakeException e = rejected(upgrade("Sec-WebSocket-Key", "short"));
            HandshakeResponse response = ServerHandshake.errorResponse(e);
            assertEquals(400, response.status());
            assertEquals("Bad Request", response.reason());
            assertEquals("close", response.headers().first("Connection").orElseThrow());
            assertTrue(response.headers().first("Content-Type").orElseThrow().startsWith("text/plain"));
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertTrue(body.contains("Sec-WebSocket-Key") && body.contains("item 5"), body);
            String wire = new String(ServerHandshake.encode(response), StandardCharsets.ISO_8859_1);
            assertTrue(wire.startsWith("HTTP/1.1 400 Bad Request\r\n"), wire);
            assertTrue(wire.contains("\r\nContent-Length: " + response.body().length + "\r\n"), wire);
            assertTrue(wire.endsWith("\r\n\r\n" + body), wire);
        }

        @Test
        void errorResponseFor405AllowsGet() throws Exception {
            HandshakeResponse response = ServerHandshake.errorResponse(rejected(upgrade().replaceFirst("GET", "POST")));
            assertEquals(405, response.status());
            assertEquals("GET", response.headers().first("Allow").orElseThrow());
            assertEquals("close", response.headers().first("Connection").orElseThrow());
        }

        @Test
        void errorResponseFor431And505() {
            HandshakeException tooLarge = Heads.requestFailure("GET / HTTP/1.1\r\nX: " + "a".repeat(300) + "\r\n\r\n", 256);
            HandshakeResponse response = ServerHandshake.errorResponse(tooLarge);
            assertEquals(431, response.status());
            assertEquals("Request Header Fields Too Large", response.reason());
            HandshakeResponse version = ServerHandshake.errorResponse(Heads.requestFailure("GET / HTTP/2.0\r\n\r\n"));
            assertEquals(505, version.status());
            assertEquals("HTTP Version Not Supported", version.reason());
        }

        @Test
        void errorResponseForANonErrorStatusIs400() {
            assertEquals(400, ServerHandshake.errorResponse(new HandshakeException(0, "no status")).status());
        }

        @Test
        void encodeOmitsContentLengthOn101AndSetsItOnOthers() {
            HandshakeResponse accept = ServerHandshake.accept(sample, "", List.of(), HttpHeaders.empty());
            assertFalse(new String(ServerHandshake.encode(accept), StandardCharsets.ISO_8859_1).contains("Content-Length"));
            HandshakeResponse notFound = new HandshakeResponse(404, "Not Found", HttpHeaders.of("Content-Length", "99"), new byte[0]);
            String wire = new String(ServerHandshake.encode(notFound), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", wire);
            HandshakeResponse noContent = new HandshakeResponse(204, "No Content", HttpHeaders.empty(), new byte[0]);
            assertEquals("HTTP/1.1 204 No Content\r\n\r\n", new String(ServerHandshake.encode(noContent), StandardCharsets.ISO_8859_1));
        }

        @Test
        void encodeRefusesABadReasonOrABodyOnA101() {
            assertThrows(IllegalArgumentException.class,
                    () -> ServerHandshake.encode(new HandshakeResponse(400, "Bad\r\nX-Injected: 1", HttpHeaders.empty(), new byte[0])));
            assertThrows(IllegalArgumentException.class,
                    () -> ServerHandshake.encode(new HandshakeResponse(101, "Switching Protocols", HttpHeaders.empty(), new byte[1])));
        }

        @Test
        void encodedResponsesParseBackTheSame() throws Exception {
            HandshakeResponse response = ServerHandshake.accept(sample, "superchat",
                    List.of(new ExtensionParameters("permessage-deflate").with("client_max_window_bits", "10")), HttpHeaders.of("X-Id", "7"));
            assertEquals(response, Heads.response(new String(ServerHandshake.encode(response), StandardCharsets.ISO_8859_1)));
        }
    }
}
