package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;

@DisplayName("RFC 6455 section 4.2.1: the opening request, kept packed while the connection is open")
class PackedRequestTest {

    @Test
    @DisplayName("a browser-like request rebuilds equal, fields in order, repeated names kept, and packs small")
    void roundTrip() {
        HandshakeRequest request = new HandshakeRequest("GET", "/chat?room=a%20b&x=1", "HTTP/1.1", HttpHeaders.of(
                "Host", "example.com:8080", "Upgrade", "websocket", "Connection", "keep-alive, Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13",
                "Sec-WebSocket-Protocol", "chat", "Sec-WebSocket-Protocol", "superchat",
                "Cookie", "a=1; b=2", "Origin", "http://example.com",
                "X-Latin", new String(new byte[] {(byte) 0xE9, (byte) 0xFF}, StandardCharsets.ISO_8859_1)));
        byte[] packed = PackedRequest.pack(request);
        assertNotNull(packed);
        HandshakeRequest rebuilt = PackedRequest.unpack(packed);
        assertEquals(request, rebuilt);
        assertEquals(List.of("chat", "superchat"), rebuilt.subprotocols());
        assertEquals("1", rebuilt.queryParameter("x").orElseThrow());
        assertTrue(packed.length < 400, "packed " + packed.length + " B");
    }

    @Test
    @DisplayName("no headers at all; the same request packs to the same bytes")
    void empty() {
        HandshakeRequest request = new HandshakeRequest("GET", "/", "HTTP/1.1", HttpHeaders.empty());
        assertEquals(request, PackedRequest.unpack(PackedRequest.pack(request)));
        assertArrayEquals(PackedRequest.pack(request), PackedRequest.pack(request));
    }

    @Test
    @DisplayName("a part too long to pack is kept as it is (null)")
    void tooLong() {
        HandshakeRequest request = new HandshakeRequest("GET", "/" + "a".repeat(70_000), "HTTP/1.1", HttpHeaders.empty());
        assertNull(PackedRequest.pack(request));
    }

    @Test
    @DisplayName("a plain client's request packs to under 70 bytes: common parts one byte each, the key as its 16 bytes")
    void commonRequestPacksSmall() {
        HandshakeRequest request = new HandshakeRequest("GET", "/", "HTTP/1.1", HttpHeaders.of(
                "Host", "127.0.0.1:40123", "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"));
        byte[] packed = PackedRequest.pack(request);
        assertNotNull(packed);
        assertEquals(request, PackedRequest.unpack(packed));
        assertTrue(packed.length < 70, "packed " + packed.length + " B");
    }

    @Test
    @DisplayName("a key that is not the canonical base64 of 16 bytes, and near-miss tokens, are kept as written")
    void oddKeysAndTokensKeptExactly() {
        for (String key : List.of("dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZR==", "not base64 at all!!!!!!!", "")) {
            HandshakeRequest request = new HandshakeRequest("get", "/", "HTTP/1.0", HttpHeaders.of(
                    "HOST", "a", "Sec-WebSocket-Key", key, "Upgrade", "WebSocket", "sec-websocket-key", key));
            assertEquals(request, PackedRequest.unpack(PackedRequest.pack(request)), key);
        }
    }

    @Test
    @DisplayName("every canonical key packs as its 16 bytes and rebuilds equal; non-ASCII literals round-trip as modified UTF-8")
    void keysAndLiteralsRoundTrip() {
        java.util.Random random = new java.util.Random(6455);
        byte[] nonce = new byte[16];
        for (int i = 0; i < 2000; i++) {
            random.nextBytes(nonce);
            String key = java.util.Base64.getEncoder().encodeToString(nonce);
            HandshakeRequest request = new HandshakeRequest("GET", "/caf\u00e9?x", "HTTP/1.1", HttpHeaders.of(
                    "Sec-WebSocket-Key", key, "X-Latin", "\u00ff\u0080 \u00e9"));
            byte[] packed = PackedRequest.pack(request);
            assertTrue(packsAsItsBytes(packed, nonce), "the key " + key + " packed as its 16 bytes");
            assertEquals(request, PackedRequest.unpack(packed), key);
        }
    }

    /** Whether {@code packed} holds the key's mark (255) followed by the 16 bytes of {@code nonce}. */
    private static boolean packsAsItsBytes(byte[] packed, byte[] nonce) {
        for (int i = 0; i + 1 + nonce.length <= packed.length; i++) {
            if (packed[i] == (byte) 255 && java.util.Arrays.equals(packed, i + 1, i + 1 + nonce.length, nonce, 0, nonce.length)) {
                return true;
            }
        }
        return false;
    }
}
