package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Test helpers: parse a head whole and one byte at a time, and check that both ways agree (same
 * result, or the same failure at the same byte).
 */
final class Heads {
    static final int LIMIT = 8192;

    private Heads() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Parses a complete request head both ways; both must give the same request and consume it all. */
    static HandshakeRequest request(String head) throws HandshakeException {
        return request(head, LIMIT);
    }

    static HandshakeRequest request(String head, int limit) throws HandshakeException {
        ByteBuffer whole = ByteBuffer.wrap(bytes(head));
        HandshakeRequest request = HttpHeadParser.requests(limit).parseRequest(whole);
        assertNotNull(request, "head incomplete");
        assertFalse(whole.hasRemaining(), "bytes left after the head");
        HttpHeadParser parser = HttpHeadParser.requests(limit);
        byte[] bytes = bytes(head);
        HandshakeRequest slow = null;
        for (int i = 0; i < bytes.length; i++) {
            slow = parser.parseRequest(ByteBuffer.wrap(bytes, i, 1));
            assertEquals(i == bytes.length - 1, slow != null, "completed early or late at byte " + i);
        }
        assertEquals(request, slow, "byte-at-a-time result differs");
        return request;
    }

    static HandshakeResponse response(String head) throws HandshakeException {
        ByteBuffer whole = ByteBuffer.wrap(bytes(head));
        HandshakeResponse response = HttpHeadParser.responses(LIMIT).parseResponse(whole);
        assertNotNull(response, "head incomplete");
        assertFalse(whole.hasRemaining(), "bytes left after the head");
        HttpHeadParser parser = HttpHeadParser.responses(LIMIT);
        byte[] bytes = bytes(head);
        HandshakeResponse slow = null;
        for (int i = 0; i < bytes.length; i++) {
            slow = parser.parseResponse(ByteBuffer.wrap(bytes, i, 1));
            assertEquals(i == bytes.length - 1, slow != null, "completed early or late at byte " + i);
        }
        assertEquals(response, slow, "byte-at-a-time result differs");
        return response;
    }

    /**
     * Feeds a request head that must fail, whole and byte at a time. Returns the exception; checks that
     * both ways fail with the same status, and that byte-at-a-time fails at the byte that whole-buffer
     * parsing stopped after.
     */
    static HandshakeException requestFailure(String head, int limit) {
        byte[] bytes = bytes(head);
        ByteBuffer whole = ByteBuffer.wrap(bytes);
        HandshakeException fast = assertThrows(HandshakeException.class, () -> HttpHeadParser.requests(limit).parseRequest(whole));
        int failedAt = failByteAtATime(bytes, HttpHeadParser.requests(limit), true, fast.status());
        assertEquals(whole.position(), failedAt + 1, "whole-buffer parsing stopped at another byte");
        return fast;
    }

    static HandshakeException requestFailure(String head) {
        return requestFailure(head, LIMIT);
    }

    static HandshakeException responseFailure(String head) {
        byte[] bytes = bytes(head);
        ByteBuffer whole = ByteBuffer.wrap(bytes);
        HandshakeException fast = assertThrows(HandshakeException.class, () -> HttpHeadParser.responses(LIMIT).parseResponse(whole));
        assertEquals(0, fast.status());
        int failedAt = failByteAtATime(bytes, HttpHeadParser.responses(LIMIT), false, 0);
        assertEquals(whole.position(), failedAt + 1, "whole-buffer parsing stopped at another byte");
        return fast;
    }

    /** The index of the byte that made the parser fail. */
    static int failByteAtATime(byte[] bytes, HttpHeadParser parser, boolean requests, int status) {
        for (int i = 0; i < bytes.length; i++) {
            ByteBuffer one = ByteBuffer.wrap(bytes, i, 1);
            try {
                Object result = requests ? parser.parseRequest(one) : parser.parseResponse(one);
                if (result != null) {
                    throw new AssertionError("parsed successfully byte at a time: " + result);
                }
            } catch (HandshakeException e) {
                assertEquals(status, e.status(), "byte-at-a-time status differs: " + e.getMessage());
                return i;
            }
        }
        throw new AssertionError("byte-at-a-time parsing did not fail");
    }

    /** A valid upgrade request with one header line replaced (or removed when the value is null). */
    static String upgrade(String... replacements) {
        String[][] base = {
                {"Host", "server.example.com"},
                {"Upgrade", "websocket"},
                {"Connection", "Upgrade"},
                {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                {"Sec-WebSocket-Version", "13"},
        };
        StringBuilder out = new StringBuilder("GET /chat HTTP/1.1\r\n");
        java.util.Map<String, String> replace = new java.util.LinkedHashMap<>();
        for (int i = 0; i < replacements.length; i += 2) {
            replace.put(replacements[i], replacements[i + 1]);
        }
        for (String[] field : base) {
            if (replace.containsKey(field[0])) {
                String value = replace.remove(field[0]);
                if (value != null) {
                    out.append(field[0]).append(": ").append(value).append("\r\n");
                }
            } else {
                out.append(field[0]).append(": ").append(field[1]).append("\r\n");
            }
        }
        replace.forEach((name, value) -> {
            if (value != null) {
                out.append(name).append(": ").append(value).append("\r\n");
            }
        });
        return out.append("\r\n").toString();
    }
}
