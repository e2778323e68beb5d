package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;
import static ws.transport.tls.TlsSupport.serverThreads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * The TLS handshake runs on each connection's own thread, never on the accept thread: many clients
 * that connect and never finish (or crawl through) their handshake do not hold up a real client,
 * and they are closed at the handshake timeout, their threads gone.
 */
class StalledHandshakeTest {
    private static final int STALLED = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void stalledHandshakesHoldUpNobodyAndAreClosedAtTheTimeout(Transport base) throws Exception {
        int threadsBefore = serverThreads();
        List<Socket> stalled = new ArrayList<>();
        try (WebSocketServer server = WebSocketServer.builder()
                .route("/echo", new TlsSupport.Echo())
                .connection(TlsSupport.fast().withHandshakeTimeout(TIMEOUT))
                .transport(TlsTransport.server(LOCALHOST.serverConfig()).over(base))
                .start();
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            long start = System.nanoTime();
            for (int i = 0; i < STALLED; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                stalled.add(socket);
            }
            // one more crawls: the first bytes of a TLS record, then nothing
            Socket crawler = new Socket();
            crawler.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = crawler.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01});
            out.flush();
            stalled.add(crawler);

            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(TlsSupport.wss(server), inbox));
            ws.sendText("served");
            assertEquals("served", inbox.next());
            long servedAfter = System.nanoTime() - start;
            // served while every stalled connection was still waiting for its timeout
            assertTrue(servedAfter < TIMEOUT.toNanos(), "the real client was served after " + servedAfter / 1_000_000
                    + " ms, not before the stalled handshakes timed out (" + TIMEOUT + ")");
            for (Socket socket : stalled) {
                assertTrue(stillOpen(socket), "a stalled connection was closed before its timeout");
            }

            // at the timeout, each is closed by the server
            for (Socket socket : stalled) {
                socket.setSoTimeout((int) TIMEOUT.multipliedBy(3).toMillis());
                assertTrue(closedByServer(socket.getInputStream()), "a stalled connection was not closed");
            }
            long closedAfter = System.nanoTime() - start;
            assertTrue(closedAfter >= TIMEOUT.toNanos() - 200_000_000L, "closed too early: " + closedAfter / 1_000_000 + " ms");
            assertEquals(1, server.connectionCount());
            ws.sendText("still served");
            assertEquals("still served", inbox.next());
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        // every connection thread is gone (platform threads are listed; virtual ones are not)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (serverThreads() > threadsBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(threadsBefore, serverThreads());
    }

    private static boolean stillOpen(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            int b = socket.getInputStream().read();
            return b >= 0;
        } catch (SocketTimeoutException stillWaiting) {
            return true;
        } catch (SocketException reset) {
            return false;
        }
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException notClosed) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
