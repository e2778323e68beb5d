package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.Hex;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.server.UpgradeDecision;

/**
 * A server connection made from a request head its transport's HTTP phase already parsed: the head is
 * not parsed again, it counts as read, the frames sent behind it are read once open, and the handshake,
 * decided and answered within {@code start}, arms no handshake timer: the connection's one timer is its
 * keepalive.
 */
@DisplayName("ConnectionDriver: a server connection from an already parsed request")
class ParsedRequestTest {
    private static final byte[] HEAD = TestHost.REQUEST;

    private final List<String> timers = new CopyOnWriteArrayList<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesRead = new AtomicLong();
    private final ReadBatchTest.RecordingSink sink = new ReadBatchTest.RecordingSink();

    private ConnectionHost host(UpgradeDecision decision) {
        return new TestHost() {
            @Override
            public Scheduler scheduler() {
                return new Scheduler() {
                    @Override
                    public long nanoTime() {
                        return System.nanoTime();
                    }

                    @Override
                    public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
                        timers.add(what);
                        return new CompletableFuture<>(); // never fires here
                    }
                };
            }

            @Override
            public ConnectionObserver observer() {
                return new ConnectionObserver() {
                    @Override
                    public void bytesRead(long count) {
                        bytesRead.addAndGet(count);
                    }
                };
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
                heard.add("decide " + request.path());
                return decision;
            }
        };
    }

    private static HandshakeRequest parsed() throws HandshakeException {
        return HttpHeadParser.requests(8192).parseRequest(ByteBuffer.wrap(HEAD));
    }

    private final WebSocketListener listener = new WebSocketListener() {
        @Override
        public void onOpen(WebSocket webSocket) {
            heard.add("open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            heard.add("text " + text);
        }
    };

    @Test
    @DisplayName("opens within start: the 101 written, the early frame read, the head counted, and only the keepalive timer armed")
    void opensWithinStart() throws Exception {
        ConnectionDriver driver = ConnectionDriver.server(
                host(new UpgradeDecision.Accept(listener, "", HttpHeaders.empty(), Map.of())), parsed(), HEAD.length);
        byte[] early = Hex.frame(0x81, "early".getBytes(StandardCharsets.US_ASCII), true, 0x0102_0304);
        driver.handshakeStarts(); // as a transport calls it once the TCP connection exists: no timer for this one
        driver.start(sink, ByteBuffer.wrap(early));
        assertTrue(driver.isOpen());
        assertEquals(List.of("decide /chat", "open", "text early"), heard);
        String written = sink.written.toString(StandardCharsets.ISO_8859_1);
        assertTrue(written.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), written);
        assertTrue(written.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), written);
        assertEquals(HEAD.length + early.length, bytesRead.get(), "the head counts as read");
        assertEquals(List.of("timer"), timers, "no handshake timer, only the keepalive's");
    }

    @Test
    @DisplayName("a rejected request: the rejection written, the connection closed, and no handshake timer")
    void rejected() throws Exception {
        ConnectionDriver driver = ConnectionDriver.server(
                host(new UpgradeDecision.Reject(HandshakeResponse.text(403, "no"), null)), parsed(), HEAD.length);
        driver.start(sink, null);
        assertFalse(driver.isOpen());
        String written = sink.written.toString(StandardCharsets.ISO_8859_1);
        assertTrue(written.startsWith("HTTP/1.1 403 "), written);
        assertFalse(timers.contains("handshake-timeout"), timers.toString());
    }
}
