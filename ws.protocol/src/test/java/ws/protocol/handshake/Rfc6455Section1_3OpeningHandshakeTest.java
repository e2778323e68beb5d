package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6455 section 1.3: the sample handshake, end to end on both sides. */
class Rfc6455Section1_3OpeningHandshakeTest {
    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** The client's handshake of section 1.3 (also in section 4.1). */
    static final String SAMPLE_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    /** The server's handshake of section 1.3. */
    static final String SAMPLE_RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    @Test
    void acceptKeyOfTheSampleNonce() {
        assertEquals(SAMPLE_ACCEPT, ServerHandshake.acceptKey(SAMPLE_KEY));
    }

    @Test
    void sampleRequestParsesAndValidates() throws Exception {
        HandshakeRequest request = HttpHeadParser.requests(8192)
                .parseRequest(ByteBuffer.wrap(SAMPLE_REQUEST.getBytes(StandardCharsets.ISO_8859_1)));
        assertNotNull(request);
        assertEquals("GET", request.method());
        assertEquals("/chat", request.target());
        assertEquals("HTTP/1.1", request.version());
        assertEquals(List.of("chat", "superchat"), request.subprotocols());
        assertEquals("http://example.com", request.origin().orElseThrow());
        assertTrue(ServerHandshake.isUpgradeRequest(request));
        ServerHandshake.validate(request);

        String chosen = ServerHandshake.chooseSubprotocol(request.subprotocols(), List.of("chat"));
        HandshakeResponse response = ServerHandshake.accept(request, chosen, List.of(), HttpHeaders.empty());
        assertEquals(SAMPLE_RESPONSE, new String(ServerHandshake.encode(response), StandardCharsets.ISO_8859_1));
    }

    @Test
    void sampleResponseParsesAndValidates() throws Exception {
        HandshakeResponse response = HttpHeadParser.responses(8192)
                .parseResponse(ByteBuffer.wrap(SAMPLE_RESPONSE.getBytes(StandardCharsets.ISO_8859_1)));
        assertNotNull(response);
        assertEquals(101, response.status());
        assertEquals("chat", ClientHandshake.validate(response, SAMPLE_KEY, List.of("chat", "superchat")));
    }

    @Test
    void clientBuildsTheSampleRequest() throws Exception {
        HandshakeRequest request = ClientHandshake.request(URI.create("ws://server.example.com/chat"), SAMPLE_KEY,
                List.of("chat", "superchat"), List.of(), HttpHeaders.of("Origin", "http://example.com"));
        String expected = "GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Origin: http://example.com\r\n"
                + "\r\n";
        assertEquals(expected, new String(ClientHandshake.encode(request), StandardCharsets.ISO_8859_1));
        // and what the client sends, the server accepts
        HandshakeRequest parsed = HttpHeadParser.requests(8192).parseRequest(ByteBuffer.wrap(ClientHandshake.encode(request)));
        assertEquals(request, parsed);
        ServerHandshake.validate(parsed);
    }

    @Test
    void byteAtATimeKeepsTrailingBytes() throws Exception {
        byte[] bytes = (SAMPLE_RESPONSE + "\u0081\u0005Hello").getBytes(StandardCharsets.ISO_8859_1);
        HttpHeadParser parser = HttpHeadParser.responses(8192);
        HandshakeResponse response = null;
        int i = 0;
        while (response == null) {
            ByteBuffer one = ByteBuffer.wrap(bytes, i++, 1);
            response = parser.parseResponse(one);
            assertFalse(one.hasRemaining());
        }
        assertEquals(SAMPLE_RESPONSE.length(), i);
        ByteBuffer whole = ByteBuffer.wrap(bytes);
        assertNotNull(HttpHeadParser.responses(8192).parseResponse(whole));
        assertEquals(7, whole.remaining());
        assertNull(HttpHeadParser.responses(8192).parseResponse(ByteBuffer.wrap(bytes, 0, 20)));
    }
}
