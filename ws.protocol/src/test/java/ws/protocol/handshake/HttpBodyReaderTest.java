package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** RFC 9112 section 6 (message body length) and 7.1 (chunked transfer coding), for request bodies. */
class HttpBodyReaderTest {

    private static HandshakeRequest post(String version, String... headers) {
        return new HandshakeRequest("POST", "/", version, HttpHeaders.of(headers));
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    private static int status(HandshakeRequest request, int max, String... pieces) {
        return assertThrows(HandshakeException.class, () -> {
            HttpBodyReader reader = HttpBodyReader.forRequest(request, max);
            for (String piece : pieces) {
                reader.read(ascii(piece));
            }
        }).status();
    }

    @Nested
    class Section6_2ContentLength {
        @Test
        void readsExactlyTheLengthAndLeavesTheNextRequest() throws Exception {
            HttpBodyReader reader = HttpBodyReader.forRequest(post("HTTP/1.1", "Content-Length", "5"), 100);
            ByteBuffer in = ascii("helloGET / HTTP/1.1");
            assertEquals("hello", text(reader.read(in)));
            assertEquals("GET / HTTP/1.1", new String(in.array(), in.position(), in.remaining(), StandardCharsets.ISO_8859_1));
        }

        @Test
        void inPieces() throws Exception {
            HttpBodyReader reader = HttpBodyReader.forRequest(post("HTTP/1.1", "Content-Length", "5"), 100);
            assertNull(reader.read(ascii("he")));
            assertEquals("hello", text(reader.read(ascii("llo"))));
        }

        @Test
        void aLargeBodyArrivingInPiecesIsReadWhole() throws Exception {
            byte[] sent = new byte[100_000];
            new java.util.Random(7).nextBytes(sent);
            HttpBodyReader reader = HttpBodyReader.forRequest(post("HTTP/1.1", "Content-Length", "100000"), 1 << 20);
            byte[] body = null;
            for (int offset = 0; offset < sent.length; offset += 1000) {
                body = reader.read(ByteBuffer.wrap(sent, offset, 1000));
            }
            assertArrayEquals(sent, body);
        }

        @Test
        void noLengthAndNoTransferEncodingIsNoBody() throws Exception {
            HttpBodyReader reader = HttpBodyReader.forRequest(post("HTTP/1.1"), 100);
            assertTrue(reader.isDone());
            assertArrayEquals(new byte[0], reader.read(ascii("GET")));
        }

        @Test
        void atTheLimitIsReadAboveIs413AtOnce() throws Exception {
            assertEquals(10, HttpBodyReader.forRequest(post("HTTP/1.1", "Content-Length", "10"), 10)
                    .read(ascii("0123456789")).length);
            assertEquals(413, status(post("HTTP/1.1", "Content-Length", "11"), 10));
        }

        @Test
        void malformedOrDisagreeingLengthsAre400() {
            assertEquals(400, status(post("HTTP/1.1", "Content-Length", "-1"), 10));
            assertEquals(400, status(post("HTTP/1.1", "Content-Length", "1e3"), 10));
            assertEquals(400, status(post("HTTP/1.1", "Content-Length", "3", "Content-Length", "4"), 10));
            assertEquals(400, status(post("HTTP/1.1", "Content-Length", "3, 4"), 10));
        }

        @Test
        void repeatedEqualLengthsAreOne() throws Exception {
            assertEquals("abc", text(HttpBodyReader.forRequest(post("HTTP/1.1", "Content-Length", "3, 3"), 10)
                    .read(ascii("abc"))));
        }
    }

    @Nested
    class Section7_1Chunked {
        private final HandshakeRequest chunked = post("HTTP/1.1", "Transfer-Encoding", "chunked");

        @Test
        void chunksExtensionsAndTrailersOneByteAtATime() throws Exception {
            String wire = "4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\nNEXT";
            ByteBuffer in = ascii(wire);
            assertEquals("Wikipedia in\r\n\r\nchunks.", text(readByteByByte(HttpBodyReader.forRequest(chunked, 100), in)));
            assertEquals("NEXT", new String(in.array(), in.position(), in.remaining(), StandardCharsets.ISO_8859_1));
        }

        @Test
        void overTheLimitIs413() {
            assertEquals(413, status(chunked, 8, "5\r\n12345\r\n", "4\r\n1234\r\n"));
        }

        @Test
        void malformedIs400() {
            assertEquals(400, status(chunked, 100, "g\r\n"));
            assertEquals(400, status(chunked, 100, "3\nabc"), "bare LF");
            assertEquals(400, status(chunked, 100, "3\r\nabcX"), "no CRLF after the data");
            assertEquals(400, status(chunked, 100, "123456789\r\n"), "a size of more than 8 hex digits");
            assertEquals(400, status(chunked, 100, "1;" + "e".repeat(HttpBodyReader.MAX_CHUNK_LINE) + "\r\n"));
        }

        @Test
        void aSizeLineIsRefusedAtItsFirstWrongByteNotAtItsEnd() {
            // a body sent as is under "Transfer-Encoding: chunked": no CRLF may ever come
            assertEquals(400, status(chunked, 100, "42[\"message\""));
            assertEquals(400, status(chunked, 100, "4 2"), "whitespace inside the size");
            assertEquals(400, status(chunked, 100, "123456789"), "more than 8 hex digits");
            assertEquals(400, status(chunked, 100, " 4"), "whitespace before the size");
        }

        @Test
        void aSizeLineArrivingByteByByteWithWhitespaceAndExtensionsIsTaken() throws Exception {
            ByteBuffer in = ascii("a \t;ext=\"q s\"\r\n0123456789\r\n0\r\n\r\n");
            assertEquals("0123456789", text(readByteByByte(HttpBodyReader.forRequest(chunked, 100), in)));
        }

        /** Feeds {@code in} one byte per call until the body is complete; {@code in} is left after it. */
        private static byte[] readByteByByte(HttpBodyReader reader, ByteBuffer in) throws HandshakeException {
            byte[] body = null;
            while (body == null) {
                body = reader.read(in.slice(in.position(), 1));
                in.position(in.position() + 1);
            }
            return body;
        }

        @Test
        void section6_3FramingConflictsAreRefused() {
            assertEquals(400, status(post("HTTP/1.1", "Transfer-Encoding", "chunked", "Content-Length", "3"), 100),
                    "both: a request smuggling pattern");
            assertEquals(400, status(post("HTTP/1.0", "Transfer-Encoding", "chunked"), 100));
            assertEquals(501, status(post("HTTP/1.1", "Transfer-Encoding", "gzip, chunked"), 100));
            assertEquals(501, status(post("HTTP/1.1", "Transfer-Encoding", "gzip"), 100));
        }
    }

    @Nested
    class Section9_3Persistence {
        private final HandshakeResponse ok = HandshakeResponse.text(200, "ok");

        @Test
        void http11PersistsUnlessEitherSaysClose() {
            assertTrue(HttpPersistence.persists(post("HTTP/1.1"), ok));
            assertEquals(false, HttpPersistence.persists(post("HTTP/1.1", "Connection", "close"), ok));
            assertEquals(false, HttpPersistence.persists(post("HTTP/1.1"),
                    HandshakeResponse.text(200, "OK", HttpHeaders.of("Connection", "close"), "bye")));
        }

        @Test
        void http10PersistsOnlyWithKeepAlive() {
            assertEquals(false, HttpPersistence.persists(post("HTTP/1.0"), ok));
            assertTrue(HttpPersistence.persists(post("HTTP/1.0", "Connection", "keep-alive"), ok));
            String head = text(HttpPersistence.encode(post("HTTP/1.0", "Connection", "keep-alive"), ok, true));
            assertTrue(head.contains("Connection: keep-alive\r\n"), head);
        }

        @Test
        void aHeadRequestGetsTheLengthButNoBody() {
            HandshakeRequest head = new HandshakeRequest("HEAD", "/", "HTTP/1.1", HttpHeaders.empty());
            String sent = text(HttpPersistence.encode(head, ok, true));
            assertTrue(sent.endsWith("Content-Length: 2\r\n\r\n"), sent);
        }

        @Test
        void theBodyIsFramedByItsLengthWhateverTheHandlerSaid() {
            String sent = text(HttpPersistence.encode(post("HTTP/1.1"), HandshakeResponse.text(200, "OK",
                    HttpHeaders.of("Transfer-Encoding", "chunked"), "abc"), true));
            assertTrue(sent.contains("Content-Length: 3\r\n") && !sent.contains("Transfer-Encoding"), sent);
        }

        @Test
        void interimStatusesAreNotAnExchangesToSend() {
            assertThrows(IllegalArgumentException.class, () -> HttpPersistence.encode(post("HTTP/1.1"),
                    new HandshakeResponse(101, "Switching Protocols", HttpHeaders.empty(), new byte[0]), true));
        }
    }
}
