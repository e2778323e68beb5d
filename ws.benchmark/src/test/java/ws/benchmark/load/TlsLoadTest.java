package ws.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.tls.DevCertificate;
import ws.transport.tls.TlsTransport;
import ws.transport.virtualthreads.VirtualThreadTransport;

/**
 * The load generator over wss:// against our own TLS echo server: the TLS handshake on a
 * non-blocking socket, the upgrade through it, then small and large messages wrapped and unwrapped
 * (records that fill the read buffer, a response head read through a buffer smaller than a record),
 * closed and open loop. Counts are awaited with generous deadlines; nothing is timed.
 */
class TlsLoadTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final DevCertificate CERTIFICATE = DevCertificate.create();
    private static WebSocketServer server;
    private static SSLContext trusting;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .route("/*", new Echo())
                .transport(TlsTransport.server(CERTIFICATE.serverConfig()).over(new VirtualThreadTransport()))
                .start();
        Path cert = dir.resolve("cert.pem");
        CERTIFICATE.writePem(cert, dir.resolve("key.pem"));
        trusting = TlsWire.trusting(cert);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static LoadGenerator.Config echo(int connections, int size, boolean binary, int window) {
        return new LoadGenerator.Config("127.0.0.1", server.port(), connections, size, binary, window,
                LoadGenerator.Kind.ECHO, 2, List.of(InetAddress.getLoopbackAddress()), 64).withTls(trusting);
    }

    /** Waits (generously) until {@code count} reaches {@code at}; returns its last value. */
    private static long awaitCount(LongSupplier count, long at) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        long now;
        while ((now = count.getAsLong()) < at && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return now;
    }

    @Test
    void smallTextsEchoOverWssAndAreTimed() throws Exception {
        try (LoadGenerator generator = new LoadGenerator(echo(20, 64, false, 8))) {
            LoadGenerator.OpenResult open = generator.open(90, TimeUnit.SECONDS);
            assertEquals(20, open.opened(), String.valueOf(open.firstError()));
            generator.start();
            generator.measuring(true);
            long messages = awaitCount(() -> generator.counters().messages(), 5_000);
            generator.measuring(false);
            assertTrue(messages >= 5_000, "echoed " + messages);
            LoadGenerator.Counters counters = generator.counters();
            assertEquals(counters.messages() * 64, counters.bytes(), "64 payload bytes each");
            assertTrue(generator.latencies().count() > 0);
            assertEquals(20, generator.openConnections());
            assertNull(generator.firstError());
        }
    }

    @Test
    void largeBinaryMessagesSpanManyRecordsEachWay() throws Exception {
        int size = 64 << 10; // four full TLS records or more per message
        try (LoadGenerator generator = new LoadGenerator(echo(4, size, true, 4))) {
            LoadGenerator.OpenResult open = generator.open(90, TimeUnit.SECONDS);
            assertEquals(4, open.opened(), String.valueOf(open.firstError()));
            generator.start();
            long messages = awaitCount(() -> generator.counters().messages(), 400);
            assertTrue(messages >= 400, "echoed " + messages);
            LoadGenerator.Counters counters = generator.counters();
            assertEquals(counters.messages() * (long) size, counters.bytes(), "every message whole");
            assertNull(generator.firstError());
        }
    }

    @Test
    void anOpenLoopRunPacesOverWss() throws Exception {
        try (LoadGenerator generator = new LoadGenerator(echo(10, 64, false, 16).withRate(2_000))) {
            assertEquals(10, generator.open(90, TimeUnit.SECONDS).opened());
            generator.start();
            generator.measuring(true);
            long messages = awaitCount(() -> generator.counters().messages(), 1_000);
            generator.measuring(false);
            assertTrue(messages >= 1_000, "echoed " + messages);
            assertTrue(generator.latencies().count() > 0);
            assertNull(generator.firstError());
        }
    }

    @Test
    void anOpenLoopRunChargesAServerThatNeverAnswersForEveryMessageItOwes() throws Exception {
        try (WebSocketServer silent = WebSocketServer.builder().host("127.0.0.1").port(0)
                .route("/*", new WebSocketListener() { })
                .transport(TlsTransport.server(CERTIFICATE.serverConfig()).over(new VirtualThreadTransport()))
                .start()) {
            LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", silent.port(), 5, 64, false, 16,
                    LoadGenerator.Kind.ECHO, 1, List.of(), 8).withTls(trusting).withRate(1_000);
            try (LoadGenerator generator = new LoadGenerator(config)) {
                assertEquals(5, generator.open(90, TimeUnit.SECONDS).opened());
                generator.start();
                generator.measuring(true);
                Thread.sleep(300);
                generator.measuring(false);
                assertEquals(0, generator.counters().messages(), "no echo came back");
                assertTrue(generator.latencies().count() > 0, "the unanswered messages count, with their age");
            }
        }
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedIsNotConnectedTo() throws Exception {
        DevCertificate other = DevCertificate.create();
        Path cert = dir.resolve("other.pem");
        other.writePem(cert, dir.resolve("other-key.pem"));
        LoadGenerator.Config config = echo(3, 64, false, 1).withTls(TlsWire.trusting(cert));
        try (LoadGenerator generator = new LoadGenerator(config)) {
            LoadGenerator.OpenResult open = generator.open(90, TimeUnit.SECONDS);
            assertEquals(0, open.opened());
            assertEquals(3, open.failed());
            assertNotNull(open.firstError());
            assertTrue(open.firstError().contains("SSLHandshakeException"), open.firstError());
        }
    }

    @Test
    void aChurnCannotRunOverTls() {
        LoadGenerator.Config churn = new LoadGenerator.Config("127.0.0.1", 1, 10, 64, false, 1,
                LoadGenerator.Kind.CHURN, 1, List.of(), 8, false, 100); // a valid churn over ws://
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> churn.withTls(trusting));
        assertTrue(refused.getMessage().contains("ws:// only"), refused.getMessage());
    }

    /** Every message back to its sender. */
    private static final class Echo implements WebSocketListener {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            webSocket.sendBinary(data);
        }
    }
}
