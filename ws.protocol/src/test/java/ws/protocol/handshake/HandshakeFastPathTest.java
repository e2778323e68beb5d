package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the server's handshake does without the general-purpose paths it used to take (a digest looked
 * up per handshake, lists of header values and tokens, a response built through a StringBuilder):
 * the same answers as those paths, byte for byte.
 */
@DisplayName("RFC 6455 section 4.2.2: the server's handshake answers as the general paths would")
class HandshakeFastPathTest {

    @Test
    @DisplayName("Sec-WebSocket-Accept from many threads at once: each equals base64(SHA-1(key + GUID)) from a digest of its own")
    void acceptKeyFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                Callable<Boolean> task = () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < 2_000; i++) {
                        byte[] nonce = new byte[16];
                        random.nextBytes(nonce);
                        String key = Base64.getEncoder().encodeToString(nonce);
                        if (!ServerHandshake.acceptKey(key).equals(reference(key))) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(pool.submit(task));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ServerHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    private static String reference(String key) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        return Base64.getEncoder().encodeToString(
                sha1.digest((key + ServerHandshake.GUID).getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    @DisplayName("a token is found as tokens() lists it: any case, OWS trimmed, empty elements skipped, never a part of a longer token")
    void containsTokenAsTokensListsIt() {
        HttpHeaders headers = HttpHeaders.of("Connection", "keep-alive,\t UPGRADE ", "Connection", ",,",
                "Upgrade", "websocketx, h2c", "X", "a , b,");
        assertTrue(headers.containsToken("connection", "upgrade"));
        assertTrue(headers.containsToken("Connection", "Keep-Alive"));
        assertFalse(headers.containsToken("Upgrade", "websocket"));
        assertTrue(headers.containsToken("Upgrade", "h2c"));
        assertFalse(headers.containsToken("Connection", ""));
        assertFalse(headers.containsToken("Missing", "upgrade"));
        for (String name : List.of("Connection", "Upgrade", "X")) {
            for (String token : List.of("a", "b", "upgrade", "keep-alive", "websocketx", "h2c", "websocket", "c")) {
                boolean listed = headers.tokens(name).stream().anyMatch(token::equalsIgnoreCase);
                assertEquals(listed, headers.containsToken(name, token), name + " / " + token);
            }
        }
    }

    @Test
    @DisplayName("a response is encoded as status line, fields, Content-Length, empty line and body, octets as ISO-8859-1")
    void encodeWritesEveryPart() {
        String latin = new String(new byte[] {(byte) 0xE9, (byte) 0xFF}, StandardCharsets.ISO_8859_1);
        HandshakeResponse response = new HandshakeResponse(403, "Forbidden " + latin,
                HttpHeaders.of("Content-Length", "99", "X-Name", latin, "Set-Cookie", "a=1"), "no\n".getBytes(StandardCharsets.UTF_8));
        String expected = "HTTP/1.1 403 Forbidden " + latin + "\r\nX-Name: " + latin + "\r\nSet-Cookie: a=1\r\n"
                + "Content-Length: 3\r\n\r\nno\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.ISO_8859_1), ServerHandshake.encode(response));
        HandshakeResponse switching = new HandshakeResponse(101, "Switching Protocols",
                HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade"), new byte[0]);
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                new String(ServerHandshake.encode(switching), StandardCharsets.ISO_8859_1));
    }

    @Test
    @DisplayName("the parser's fields equal the builder's: the same names and values as add() would take")
    void parsedFieldsEqualBuiltOnes() throws HandshakeException {
        String latin = new String(new byte[] {(byte) 0xE9}, StandardCharsets.ISO_8859_1);
        byte[] head = ("GET / HTTP/1.1\r\nHost: a\r\nX-Tab:\tv\t1 \r\nX-Latin: " + latin + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        HandshakeRequest request = HttpHeadParser.requests(1024).parseRequest(ByteBuffer.wrap(head));
        assertEquals(HttpHeaders.of("Host", "a", "X-Tab", "v\t1", "X-Latin", latin), request.headers());
        HttpHeaders.Builder again = HttpHeaders.builder();
        request.headers().forEach(again::add); // every parsed field passes the builder's checks
        assertEquals(request.headers(), again.build());
    }
}
