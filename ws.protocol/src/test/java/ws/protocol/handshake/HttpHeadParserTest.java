package ws.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.protocol.handshake.Heads.bytes;
import static ws.protocol.handshake.Heads.request;
import static ws.protocol.handshake.Heads.requestFailure;
import static ws.protocol.handshake.Heads.response;
import static ws.protocol.handshake.Heads.responseFailure;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP/1.1 head parser: RFC 9112 syntax, limits, incremental feeding, hostile input. */
class HttpHeadParserTest {

    @Nested
    class Rfc9112Section2_2LineEndings {
        @Test
        void crlfLinesParse() throws Exception {
            HandshakeRequest request = request("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("a", request.header("Host").orElseThrow());
        }

        @Test
        void bareLfIsRefusedInTheRequestLine() {
            HandshakeException e = requestFailure("GET / HTTP/1.1\nHost: a\r\n\r\n");
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("bare LF"), e.getMessage());
        }

        @Test
        void bareLfIsRefusedInAHeaderAndAtTheEnd() {
            assertEquals(400, requestFailure("GET / HTTP/1.1\r\nHost: a\n\r\n").status());
            assertEquals(400, requestFailure("GET / HTTP/1.1\r\nHost: a\r\n\n").status());
            responseFailure("HTTP/1.1 101 Switching Protocols\n\n");
        }

        @Test
        void crNotFollowedByLfIsRefused() {
            HandshakeException e = requestFailure("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n");
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("CR not followed by LF"), e.getMessage());
        }

        @Test
        void emptyLinesBeforeTheRequestLineAreSkipped() throws Exception {
            assertEquals("/x", request("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n").target());
        }

        @Test
        void whitespaceLineBetweenStartLineAndFieldsIsRefused() {
            assertEquals(400, requestFailure("GET / HTTP/1.1\r\n Host: a\r\n\r\n").status());
        }
    }

    @Nested
    class Rfc9112Section3RequestLine {
        @Test
        void threePartsAsSent() throws Exception {
            HandshakeRequest request = request("GET /chat?room=1&x=%20 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("GET", request.method());
            assertEquals("/chat?room=1&x=%20", request.target());
            assertEquals("/chat", request.path());
            assertEquals("room=1&x=%20", request.query());
            assertEquals("HTTP/1.1", request.version());
        }

        @Test
        void absoluteFormTarget() throws Exception {
            HandshakeRequest request = request("GET http://example.com:8080/chat?a=b HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("/chat", request.path());
            assertEquals("a=b", request.query());
        }

        @Test
        void anyTokenIsAMethod() throws Exception {
            assertEquals("M-SEARCH", request("M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n").method());
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "GET /\r\n",                    // two parts
                "GET\r\n",                      // one part
                "GET / HTTP/1.1 extra\r\n",     // four parts
                "GET / HTTP/1.1 \r\n",          // trailing space
                "GET  / HTTP/1.1\r\n",          // double space: empty target
                " GET / HTTP/1.1\r\n",          // leading space
                "GE(T / HTTP/1.1\r\n",          // method not a token
                "GET /a\u007fb HTTP/1.1\r\n",   // DEL in the target
                "GET /\u00e9 HTTP/1.1\r\n",     // non-ASCII in the target
                "GET /\tx HTTP/1.1\r\n",        // HTAB as separator
                "GET / http/1.1\r\n",           // HTTP-name is case-sensitive
                "GET / HTTP/1\r\n",             // no minor version
                "GET / HTTP/1.10\r\n",          // two-digit minor
                "GET / HTTP/11\r\n",
                "GET / HTTPS/1.1\r\n",
                "GET / HTTP/1.1x\r\n",
                "\r\n\r\n\r\nGET / HTTP/1.1 x\r\n",
        })
        void malformedRequestLinesGet400(String line) {
            HandshakeException e = requestFailure(line + "Host: a\r\n\r\n");
            assertEquals(400, e.status(), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/2"})
        void otherMajorVersionsGet505(String version) {
            HandshakeException e = requestFailure("GET / " + version + "\r\nHost: a\r\n\r\n");
            assertEquals(505, e.status(), e.getMessage());
        }

        @Test
        void theHttp2PrefaceGets505() {
            assertEquals(505, requestFailure("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").status());
        }

        @Test
        void http10IsParsedAsSuch() throws Exception {
            assertEquals("HTTP/1.0", request("GET / HTTP/1.0\r\nHost: a\r\n\r\n").version());
        }

        @Test
        void laterHttp1MinorVersionsParse() throws Exception {
            assertEquals("HTTP/1.2", request("GET / HTTP/1.2\r\nHost: a\r\n\r\n").version());
        }
    }

    @Nested
    class Rfc9112Section5FieldLines {
        @Test
        void valuesAreTrimmedOfOws() throws Exception {
            HandshakeRequest request = request("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t spaced out \t \r\nX-B:\r\nX-C:   \r\n\r\n");
            assertEquals("a", request.header("Host").orElseThrow());
            assertEquals("spaced out", request.header("x-a").orElseThrow());
            assertEquals("", request.header("X-B").orElseThrow());
            assertEquals("", request.header("X-C").orElseThrow());
        }

        @Test
        void namesKeepTheirCaseAndCompareIgnoringIt() throws Exception {
            HandshakeRequest request = request("GET / HTTP/1.1\r\nhOsT: a\r\n\r\n");
            assertEquals(List.of("host"), request.headers().names());
            assertEquals("a", request.header("HOST").orElseThrow());
            request.headers().forEach((name, value) -> assertEquals("hOsT", name));
        }

        @Test
        void repeatedFieldsAreKeptInOrder() throws Exception {
            HandshakeRequest request = request("GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: a\r\nConnection: Upgrade\r\n\r\n");
            assertEquals(List.of("keep-alive", "Upgrade"), request.headers().all("connection"));
            assertEquals(3, request.headers().size());
        }

        @Test
        void colonsAndObsTextInValues() throws Exception {
            HandshakeRequest request = request("GET / HTTP/1.1\r\nOrigin: http://a:80\r\nX-Latin: caf\u00e9\r\n\r\n");
            assertEquals("http://a:80", request.origin().orElseThrow());
            assertEquals("caf\u00e9", request.header("X-Latin").orElseThrow());
        }

        @Test
        void obsFoldIsRefused() {
            HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n");
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("obs-fold"), e.getMessage());
            assertEquals(400, requestFailure("GET / HTTP/1.1\r\nX-A: one\r\n\ttwo\r\n\r\n").status());
        }

        @Test
        void whitespaceBeforeTheColonIsRefused() {
            HandshakeException e = requestFailure("GET / HTTP/1.1\r\nHost : a\r\n\r\n");
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("RFC 9112 section 5.1"), e.getMessage());
            assertEquals(400, requestFailure("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n").status());
        }

        @ParameterizedTest
        @ValueSource(strings = {"X(A): 1", "X@A: 1", "X\"A: 1", "X{A}: 1", "X/A: 1", "\u00e9: 1", "X\u0000A: 1", ": empty name", "NoColon"})
        void badNamesAreRefused(String field) {
            assertEquals(400, requestFailure("GET / HTTP/1.1\r\n" + field + "\r\n\r\n").status());
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\u0000b", "a\u0001b", "a\u001fb", "a\u007fb", "a\u000bb", "a\u000cb"})
        void controlCharactersInValuesAreRefused(String value) {
            HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX-A: " + value + "\r\n\r\n");
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains("control byte"), e.getMessage());
        }

        @Test
        void tabInsideAValueIsKept() throws Exception {
            assertEquals("a\tb", request("GET / HTTP/1.1\r\nX-A: a\tb\r\n\r\n").header("X-A").orElseThrow());
        }
    }

    @Nested
    class Rfc9112Section4StatusLine {
        @Test
        void statusReasonAndHeaders() throws Exception {
            HandshakeResponse response = response("HTTP/1.1 403 Forbidden Here\r\nContent-Length: 5\r\n\r\n");
            assertEquals(403, response.status());
            assertEquals("Forbidden Here", response.reason());
            assertEquals("5", response.headers().first("Content-Length").orElseThrow());
            assertEquals(0, response.body().length);
        }

        @Test
        void reasonPhraseMayBeEmptyOrAbsent() throws Exception {
            assertEquals("", response("HTTP/1.1 101 \r\n\r\n").reason());
            assertEquals("", response("HTTP/1.1 101\r\n\r\n").reason());
        }

        @Test
        void interimResponsesAreSkipped() throws Exception {
            HandshakeResponse response = response("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                    + "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
            assertEquals(101, response.status());
            assertEquals(List.of("upgrade"), response.headers().names());
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "HTTP/1.1 10 Short",
                "HTTP/1.1 1010 Long",
                "HTTP/1.1 1O1 Letter",
                "HTTP/1.1  101 Double",
                "HTTP/1.1",
                "HTTP/1.1 099 Low",
                "HTTP/1.1 600 High",
                "HTTP/2.0 101 Switching Protocols",
                "HTTP/1 101 Switching",
                "http/1.1 101 Switching Protocols",
                "HTTP/1.0 101 Switching Protocols",
                "HTTP/1.1 101 Bad\u0000Reason",
                "ICY 200 OK",
                "SSH-2.0-OpenSSH_9.6",
        })
        void malformedStatusLinesFailWithStatus0(String line) {
            responseFailure(line + "\r\n\r\n");
        }

        @Test
        void http10ErrorResponsesParse() throws Exception {
            assertEquals(404, response("HTTP/1.0 404 Not Found\r\n\r\n").status());
        }

        @Test
        void fieldErrorsInResponsesHaveStatus0() {
            responseFailure("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n");
            responseFailure("HTTP/1.1 101 OK\r\nUpgrade: web\u0001socket\r\n\r\n");
            responseFailure("HTTP/1.1 101 OK\r\n folded\r\n\r\n");
        }
    }

    @Nested
    class CommonParts {
        @Test
        void thePartsNearlyEveryHandshakeHasAreTheSameStringsEachTimeAndEveryOtherPartIsExact() throws Exception {
            String head = "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nupgrade: WebSocket\r\nX-Get: GETS\r\n\r\n";
            HandshakeRequest first = request(head, 8192);
            HandshakeRequest second = request(head, 8192);
            org.junit.jupiter.api.Assertions.assertSame(first.method(), second.method());
            org.junit.jupiter.api.Assertions.assertSame(first.version(), second.version());
            org.junit.jupiter.api.Assertions.assertSame(first.headers().first("Upgrade").orElseThrow(),
                    second.headers().first("Upgrade").orElseThrow());
            assertEquals(List.of("Host", "Upgrade", "Connection", "Sec-WebSocket-Version", "upgrade", "X-Get"),
                    names(second));
            assertEquals(List.of("websocket", "WebSocket"), second.headers().all("upgrade"));
            assertEquals("GETS", second.headers().first("X-Get").orElseThrow());
            assertEquals("13", second.headers().first("Sec-WebSocket-Version").orElseThrow());
        }

        private List<String> names(HandshakeRequest request) {
            List<String> names = new java.util.ArrayList<>();
            request.headers().forEach((name, value) -> names.add(name));
            return names;
        }
    }

    @Nested
    class Limits {
        private String headOfLength(int length) {
            String start = "GET / HTTP/1.1\r\nX-Pad: ";
            String end = "\r\n\r\n";
            return start + "p".repeat(length - start.length() - end.length()) + end;
        }

        @Test
        void aHeadOfExactlyTheLimitParses() throws Exception {
            String head = headOfLength(300);
            assertEquals(300, head.length());
            assertNotNull(request(head, 300));
        }

        @Test
        void oneByteOverTheLimitGets431AtThatByte() {
            String head = headOfLength(301);
            HandshakeException e = requestFailure(head, 300);
            assertEquals(431, e.status());
            assertTrue(e.getMessage().contains("300"), e.getMessage());
            // byte at a time, the failure comes with byte 301 and not before
            assertEquals(300, Heads.failByteAtATime(bytes(head), HttpHeadParser.requests(300), true, 431));
        }

        @Test
        void theLimitIsEnforcedBeforeTheHeadEnds() {
            // an endless header line: refused after limit bytes, not buffered further
            HttpHeadParser parser = HttpHeadParser.requests(1024);
            ByteBuffer endless = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nX: " + "a".repeat(5000)));
            HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parseRequest(endless));
            assertEquals(431, e.status());
            assertEquals(1025, endless.position());
        }

        @Test
        void aTooLongTargetGets414() {
            HandshakeException e = requestFailure("GET /" + "a".repeat(400) + " HTTP/1.1\r\n\r\n", 300);
            assertEquals(414, e.status());
        }

        @Test
        void emptyLinesBeforeTheRequestCount() {
            assertEquals(431, requestFailure("\r\n".repeat(200) + "GET / HTTP/1.1\r\n\r\n", 300).status());
        }

        @Test
        void responsesOverTheLimitFailWithStatus0() throws Exception {
            HttpHeadParser parser = HttpHeadParser.responses(256);
            ByteBuffer in = ByteBuffer.wrap(bytes("HTTP/1.1 101 OK\r\nX: " + "a".repeat(300) + "\r\n\r\n"));
            HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parseResponse(in));
            assertEquals(0, e.status());
            assertEquals(257, in.position());
        }

        @Test
        void interimResponsesCountTowardsTheLimit() {
            HttpHeadParser parser = HttpHeadParser.responses(256);
            ByteBuffer in = ByteBuffer.wrap(bytes("HTTP/1.1 100 Continue\r\n\r\n".repeat(20)));
            assertThrows(HandshakeException.class, () -> parser.parseResponse(in));
        }
    }

    @Nested
    class IncrementalFeeding {
        private static final String REQUEST = Rfc6455Section1_3OpeningHandshakeTest.SAMPLE_REQUEST;

        @Test
        void everySplitPointGivesTheSameRequest() throws Exception {
            byte[] bytes = bytes(REQUEST);
            HandshakeRequest expected = request(REQUEST);
            for (int split = 0; split <= bytes.length; split++) {
                HttpHeadParser parser = HttpHeadParser.requests(Heads.LIMIT);
                ByteBuffer first = ByteBuffer.wrap(bytes, 0, split);
                HandshakeRequest result = parser.parseRequest(first);
                if (split < bytes.length) {
                    assertNull(result);
                    assertEquals(split, first.position());
                    result = parser.parseRequest(ByteBuffer.wrap(bytes, split, bytes.length - split));
                }
                assertEquals(expected, result, "split at " + split);
            }
        }

        @Test
        void bytesAfterTheHeadStayInTheBuffer() throws Exception {
            byte[] head = bytes(REQUEST);
            byte[] frame = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
            ByteBuffer in = ByteBuffer.allocate(head.length + frame.length).put(head).put(frame).flip();
            assertNotNull(HttpHeadParser.requests(Heads.LIMIT).parseRequest(in));
            assertEquals(head.length, in.position());
            assertEquals(frame.length, in.remaining());
        }

        @Test
        void directAndReadOnlyBuffersWork() throws Exception {
            byte[] head = bytes(REQUEST);
            ByteBuffer direct = ByteBuffer.allocateDirect(head.length + 3).put(head).put(new byte[] {1, 2, 3}).flip();
            assertNotNull(HttpHeadParser.requests(Heads.LIMIT).parseRequest(direct));
            assertEquals(3, direct.remaining());
            ByteBuffer readOnly = ByteBuffer.wrap(head).asReadOnlyBuffer();
            assertNotNull(HttpHeadParser.requests(Heads.LIMIT).parseRequest(readOnly));
        }

        @Test
        void anEmptyBufferIsNoProgress() throws Exception {
            assertNull(HttpHeadParser.requests(Heads.LIMIT).parseRequest(ByteBuffer.allocate(0)));
        }

        @Test
        void aParserIsForOneHead() throws Exception {
            HttpHeadParser parser = HttpHeadParser.requests(Heads.LIMIT);
            assertNotNull(parser.parseRequest(ByteBuffer.wrap(bytes(REQUEST))));
            assertThrows(IllegalStateException.class, () -> parser.parseRequest(ByteBuffer.wrap(bytes(REQUEST))));
            assertThrows(IllegalStateException.class, () -> HttpHeadParser.requests(Heads.LIMIT).parseResponse(ByteBuffer.allocate(1)));
            assertThrows(IllegalStateException.class, () -> HttpHeadParser.responses(Heads.LIMIT).parseRequest(ByteBuffer.allocate(1)));
        }

        @Test
        void aFailedParserStaysFailed() {
            HttpHeadParser parser = HttpHeadParser.requests(Heads.LIMIT);
            assertThrows(HandshakeException.class, () -> parser.parseRequest(ByteBuffer.wrap(bytes("G\u0000"))));
            HandshakeException again = assertThrows(HandshakeException.class,
                    () -> parser.parseRequest(ByteBuffer.wrap(bytes("ET / HTTP/1.1\r\n\r\n"))));
            assertEquals(400, again.status());
        }
    }

    @Nested
    class GarbageInput {
        @Test
        void aTlsClientHelloIsRefusedAtItsFirstByte() {
            byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
            HttpHeadParser parser = HttpHeadParser.requests(Heads.LIMIT);
            ByteBuffer in = ByteBuffer.wrap(hello);
            HandshakeException e = assertThrows(HandshakeException.class, () -> parser.parseRequest(in));
            assertEquals(400, e.status());
            assertEquals(1, in.position());
            assertTrue(e.getMessage().contains("0x16"), e.getMessage());
        }

        @Test
        void aNulInTheRequestLineIsRefusedAtOnce() {
            HttpHeadParser parser = HttpHeadParser.requests(Heads.LIMIT);
            ByteBuffer in = ByteBuffer.wrap(bytes("GET /a\u0000b HTTP/1.1\r\n"));
            assertEquals(400, assertThrows(HandshakeException.class, () -> parser.parseRequest(in)).status());
            assertEquals(7, in.position());
        }

        @Test
        void aFrameInsteadOfAResponseIsRefusedAtOnce() {
            ByteBuffer in = ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x05, 'H', 'e', 'l', 'l', 'o'});
            assertEquals(0, assertThrows(HandshakeException.class, () -> HttpHeadParser.responses(Heads.LIMIT).parseResponse(in)).status());
            assertEquals(1, in.position());
        }

        @Test
        void randomBytesFailLongBeforeTheLimit() {
            SplittableRandom random = new SplittableRandom(6455);
            for (int round = 0; round < 500; round++) {
                byte[] garbage = new byte[4096];
                random.nextBytes(garbage);
                ByteBuffer in = ByteBuffer.wrap(garbage);
                HandshakeException e = assertThrows(HandshakeException.class, () -> HttpHeadParser.requests(4096).parseRequest(in));
                assertEquals(400, e.status(), e.getMessage());
                assertTrue(in.position() < 64, "read " + in.position() + " bytes of garbage");
            }
        }

        @Test
        void plainTextIsRefusedAtTheFirstLine() {
            assertEquals(400, requestFailure("hello there\r\n\r\n").status());
        }
    }
}
