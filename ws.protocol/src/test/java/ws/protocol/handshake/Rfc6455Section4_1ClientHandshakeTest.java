package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.extension.ExtensionParameters;

/** RFC 6455 section 4.1: the client's side of the opening handshake. */
class Rfc6455Section4_1ClientHandshakeTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static HandshakeRequest request(String uri) {
        return ClientHandshake.request(URI.create(uri), KEY, List.of(), List.of(), HttpHeaders.empty());
    }

    @Nested
    class Section4_1ClientRequirements {
        @Test
        void newKeyIsBase64Of16RandomBytes() {
            SplittableRandom random = new SplittableRandom(1);
            String key = ClientHandshake.newKey(random);
            assertEquals(16, Base64.getDecoder().decode(key).length);
            assertTrue(ServerHandshake.isValidKey(key));
            assertNotEquals(key, ClientHandshake.newKey(random));
            // injected randomness gives exact keys
            assertEquals(ClientHandshake.newKey(new SplittableRandom(7)), ClientHandshake.newKey(new SplittableRandom(7)));
        }

        @ParameterizedTest(name = "{0} -> Host {1}, target {2}")
        @CsvSource(delimiter = '|', value = {
                "ws://example.com|example.com|/",
                "ws://example.com/|example.com|/",
                "ws://example.com:80/chat|example.com|/chat",
                "ws://example.com:443/chat|example.com:443|/chat",
                "ws://example.com:8080/chat|example.com:8080|/chat",
                "wss://example.com/chat|example.com|/chat",
                "wss://example.com:443/chat|example.com|/chat",
                "wss://example.com:80/chat|example.com:80|/chat",
                "wss://example.com:8443|example.com:8443|/",
                "http://example.com/chat|example.com|/chat",
                "https://example.com/chat|example.com|/chat",
                "https://example.com:443/|example.com|/",
                "WSS://Example.COM/Chat|Example.COM|/Chat",
                "ws://[::1]/|[::1]|/",
                "ws://[::1]:9000/x|[::1]:9000|/x",
                "wss://[2001:db8::1]:443/|[2001:db8::1]|/",
                "wss://[2001:db8::1]:4443/|[2001:db8::1]:4443|/",
                "ws://[fe80::1%eth0]:8080/|[fe80::1]:8080|/",
                "ws://[fe80::1%25eth0]/|[fe80::1]|/",
                "ws://[::ffff:192.0.2.1]/|[::ffff:192.0.2.1]|/",
                "ws://127.0.0.1:9001/runCase?case=1&agent=ws|127.0.0.1:9001|/runCase?case=1&agent=ws",
                "ws://example.com?x=1|example.com|/?x=1",
                "ws://example.com/?|example.com|/?",
                "ws://example.com/a%2Fb?q=a%20b&r=%E2%82%AC|example.com|/a%2Fb?q=a%20b&r=%E2%82%AC",
                "ws://example.com/a+b?c=d+e|example.com|/a+b?c=d+e",
                "ws://example.com/caf\u00e9?q=\u20ac|example.com|/caf%C3%A9?q=%E2%82%AC",
                "ws://my_host:8080/|my_host:8080|/",
                "ws://caf\u00e9.example/|xn--caf-dma.example|/",
                "ws://example.com:/x|example.com|/x",
        })
        void hostAndTargetFromTheUri(String uri, String host, String target) {
            HandshakeRequest request = request(uri);
            assertEquals("GET", request.method());
            assertEquals("HTTP/1.1", request.version());
            assertEquals(host, request.header("Host").orElseThrow());
            assertEquals(target, request.target());
        }

        @Test
        void headersInOrder() {
            HandshakeRequest request = ClientHandshake.request(URI.create("wss://example.com/chat"), KEY,
                    List.of("v2.chat", "v1.chat"),
                    List.of(new ExtensionParameters("permessage-deflate").with("client_max_window_bits", null), new ExtensionParameters("permessage-deflate")),
                    HttpHeaders.of("Origin", "https://example.com", "Cookie", "a=1"));
            assertEquals("GET /chat HTTP/1.1\r\n"
                            + "Host: example.com\r\n"
                            + "Upgrade: websocket\r\n"
                            + "Connection: Upgrade\r\n"
                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Protocol: v2.chat, v1.chat\r\n"
                            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate\r\n"
                            + "Origin: https://example.com\r\n"
                            + "Cookie: a=1\r\n"
                            + "\r\n",
                    new String(ClientHandshake.encode(request), StandardCharsets.ISO_8859_1));
            assertEquals(List.of("v2.chat", "v1.chat"), request.subprotocols());
            assertEquals(2, request.extensions().size());
        }

        @Test
        void anExtraHostReplacesTheComputedOne() {
            HandshakeRequest request = ClientHandshake.request(URI.create("ws://10.0.0.7:8080/"), KEY, List.of(), List.of(),
                    HttpHeaders.of("Host", "virtual.example"));
            assertEquals(List.of("virtual.example"), request.headers().all("Host"));
            assertEquals("host", request.headers().names().get(0));
        }

        @Test
        void whatTheClientSendsTheServerAccepts() throws Exception {
            for (String uri : List.of("ws://a.example/", "wss://[::1]:8443/x?y=z", "ws://h:1/caf\u00e9")) {
                HandshakeRequest request = ClientHandshake.request(URI.create(uri), ClientHandshake.newKey(new SplittableRandom(uri.hashCode())),
                        List.of("chat"), List.of(new ExtensionParameters("permessage-deflate").with("server_max_window_bits", "10")),
                        HttpHeaders.of("Origin", "null"));
                HandshakeRequest parsed = Heads.request(new String(ClientHandshake.encode(request), StandardCharsets.ISO_8859_1));
                assertEquals(request, parsed);
                assertDoesNotThrow(() -> ServerHandshake.validate(parsed));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "ftp://example.com/",
                "example.com/chat",
                "/chat",
                "ws:example.com",
                "ws://example.com/#frag",
                "ws://example.com/chat#",
                "ws://user:secret@example.com/",
                "ws://example.com:0/",
                "ws:///path",
        })
        void invalidUrisAreRefused(String uri) {
            assertThrows(IllegalArgumentException.class, () -> request(uri));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "two words", "a,b", "semi;colon", "quote\"", "caf\u00e9", "tab\t"})
        void subprotocolsMustBeTokens(String subprotocol) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientHandshake.request(
                    URI.create("ws://a/"), KEY, List.of("chat", subprotocol), List.of(), HttpHeaders.empty()));
            assertTrue(e.getMessage().contains("token"), e.getMessage());
        }

        @Test
        void subprotocolsMustBeUnique() {
            assertThrows(IllegalArgumentException.class, () -> ClientHandshake.request(
                    URI.create("ws://a/"), KEY, List.of("chat", "chat"), List.of(), HttpHeaders.empty()));
        }

        @Test
        void extensionOffersMustBeTokens() {
            assertThrows(IllegalArgumentException.class, () -> ClientHandshake.request(URI.create("ws://a/"), KEY, List.of(),
                    List.of(new ExtensionParameters("permessage deflate")), HttpHeaders.empty()));
            assertThrows(IllegalArgumentException.class, () -> ClientHandshake.request(URI.create("ws://a/"), KEY, List.of(),
                    List.of(new ExtensionParameters("x").with("p", "a b")), HttpHeaders.empty()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Upgrade", "connection", "Sec-WebSocket-Key", "sec-websocket-version", "Sec-WebSocket-Protocol",
                "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Content-Length", "Transfer-Encoding"})
        void reservedExtraHeadersAreRefused(String name) {
            assertThrows(IllegalArgumentException.class, () -> ClientHandshake.request(URI.create("ws://a/"), KEY, List.of(), List.of(),
                    HttpHeaders.of(name, "x")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "short", "dGhlIHNhbXBsZSBub25jZQ", "AAAAAAAAAAAAAAAAAAAAAAAA"})
        void theKeyMustBeBase64Of16Bytes(String key) {
            assertThrows(IllegalArgumentException.class, () -> ClientHandshake.request(URI.create("ws://a/"), key, List.of(), List.of(),
                    HttpHeaders.empty()));
        }
    }

    @Nested
    class Section4_1ValidatingTheServersResponse {
        private final String accept = ServerHandshake.acceptKey(KEY);

        private HandshakeResponse response(String... headers) {
            return new HandshakeResponse(101, "Switching Protocols", HttpHeaders.of(headers), new byte[0]);
        }

        private HandshakeResponse valid(String... more) {
            String[] base = {"Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", accept};
            String[] all = new String[base.length + more.length];
            System.arraycopy(base, 0, all, 0, base.length);
            System.arraycopy(more, 0, all, base.length, more.length);
            return response(all);
        }

        private HandshakeException failure(HandshakeResponse response, List<String> offered) {
            return assertThrows(HandshakeException.class, () -> ClientHandshake.validate(response, KEY, offered));
        }

        @Test
        void aValidResponseWithoutSubprotocol() throws Exception {
            assertEquals("", ClientHandshake.validate(valid(), KEY, List.of()));
            assertEquals("", ClientHandshake.validate(valid(), KEY, List.of("chat")));
        }

        @Test
        void caseInsensitiveTokens() throws Exception {
            assertEquals("", ClientHandshake.validate(response("Upgrade", "WebSocket", "Connection", "keep-alive, UPGRADE",
                    "Sec-WebSocket-Accept", accept), KEY, List.of()));
        }

        @ParameterizedTest
        @ValueSource(ints = {200, 204, 301, 302, 400, 401, 403, 404, 426, 500, 503})
        void aStatusOtherThan101IsCarried(int status) {
            HandshakeResponse response = new HandshakeResponse(status, HandshakeResponse.reasonPhrase(status), HttpHeaders.empty(), new byte[0]);
            HandshakeException e = failure(response, List.of());
            assertEquals(status, e.status());
            assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
        }

        @Test
        void aParsed302KeepsItsStatus() throws Exception {
            HandshakeResponse redirect = Heads.response("HTTP/1.1 302 Found\r\nLocation: wss://elsewhere/\r\n\r\n");
            assertEquals(302, failure(redirect, List.of()).status());
        }

        @Test
        void missingOrWrongUpgrade() {
            assertEquals(0, failure(response("Connection", "Upgrade", "Sec-WebSocket-Accept", accept), List.of()).status());
            HandshakeException e = failure(response("Upgrade", "h2c", "Connection", "Upgrade", "Sec-WebSocket-Accept", accept), List.of());
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("Upgrade") && e.getMessage().contains("h2c"), e.getMessage());
        }

        @Test
        void missingOrWrongConnection() {
            assertEquals(0, failure(response("Upgrade", "websocket", "Sec-WebSocket-Accept", accept), List.of()).status());
            assertEquals(0, failure(response("Upgrade", "websocket", "Connection", "keep-alive", "Sec-WebSocket-Accept", accept), List.of()).status());
        }

        @Test
        void wrongMissingOrRepeatedAccept() {
            String other = ServerHandshake.acceptKey("AAAAAAAAAAAAAAAAAAAAAA==");
            HandshakeException e = failure(response("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", other), List.of());
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("Sec-WebSocket-Accept") && e.getMessage().contains(accept), e.getMessage());
            failure(response("Upgrade", "websocket", "Connection", "Upgrade"), List.of());
            failure(response("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", accept.toLowerCase()), List.of());
            failure(response("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", KEY), List.of());
            failure(valid("Sec-WebSocket-Accept", accept), List.of());
        }

        @Test
        void theOfferedSubprotocolIsReturned() throws Exception {
            assertEquals("chat", ClientHandshake.validate(valid("Sec-WebSocket-Protocol", "chat"), KEY, List.of("superchat", "chat")));
        }

        @Test
        void anEmptySubprotocolHeaderMeansNone() throws Exception {
            assertEquals("", ClientHandshake.validate(valid("Sec-WebSocket-Protocol", ""), KEY, List.of("chat")));
        }

        @Test
        void anUnsolicitedSubprotocolIsRefused() {
            HandshakeException e = failure(valid("Sec-WebSocket-Protocol", "chat"), List.of());
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("did not offer"), e.getMessage());
            failure(valid("Sec-WebSocket-Protocol", "mqtt"), List.of("chat"));
            failure(valid("Sec-WebSocket-Protocol", "Chat"), List.of("chat"));
        }

        @Test
        void moreThanOneSubprotocolIsRefused() {
            failure(valid("Sec-WebSocket-Protocol", "chat, superchat"), List.of("chat", "superchat"));
            failure(valid("Sec-WebSocket-Protocol", "chat", "Sec-WebSocket-Protocol", "chat"), List.of("chat"));
        }

        @Test
        void theSection1_3ResponseIsValid() throws Exception {
            HandshakeResponse response = Heads.response(Rfc6455Section1_3OpeningHandshakeTest.SAMPLE_RESPONSE);
            assertEquals("chat", ClientHandshake.validate(response, KEY, List.of("chat", "superchat")));
        }
    }
}
