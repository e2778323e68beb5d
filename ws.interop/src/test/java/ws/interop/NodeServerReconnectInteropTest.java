package ws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.Backoff;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectListener;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.transport.tls.DevCertificate;
import ws.transport.tls.TlsClientConfig;
import ws.transport.tls.TlsTransport;

/**
 * Our reconnecting client against a real Node {@code ws} server (interop/node/server.mjs) that is
 * stopped and started again on the same port: the client reconnects by itself, and what was sent
 * while the server was down reaches the new server once each, in order, before what is sent after;
 * on both socket transports, and over wss:// (TLS to Node's https server).
 */
class NodeServerReconnectInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @BeforeEach
    void requireNode() {
        PeerAssumptions.requirePeer("node ws", Peers::nodeMissing);
    }

    /** The client's events as lines: "open", "reconnecting 2", "reconnected", "text q1", "close 1000". */
    private static final class Events implements ReconnectListener {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            lines.add("open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            lines.add("text " + text);
        }

        @Override
        public void onReconnecting(ReconnectingWebSocket webSocket, int attempt, Duration delay, CloseStatus cause) {
            lines.add("reconnecting " + attempt);
        }

        @Override
        public void onReconnected(ReconnectingWebSocket webSocket, int attempts) {
            lines.add("reconnected");
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            lines.add("close " + status.code());
        }

        /** The next line that is not a "reconnecting" one (the attempts while the server is down vary). */
        String next() throws InterruptedException {
            while (true) {
                String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new AssertionError("no event within " + TIMEOUT);
                }
                if (!line.startsWith("reconnecting ")) {
                    return line;
                }
            }
        }
    }

    /** A development certificate for localhost, for the wss:// runs. */
    private static final DevCertificate CERTIFICATE = DevCertificate.create();

    @TempDir
    static Path dir;

    /** Node's server on {@code port}; with TLS (wss://) when {@code tls}. */
    private static PeerProcess startServer(int port, boolean tls) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "server.mjs", "--port", String.valueOf(port)));
        if (tls) {
            command.addAll(List.of(dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString()));
        }
        PeerProcess node = PeerProcess.start(Peers.nodeDirectory(), command);
        String line = node.nextLine(TIMEOUT);
        assertEquals("listening " + port, line, node.describe());
        return node;
    }

    private static int port() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop", "wss over virtual"})
    void reconnectsToARestartedServerAndDeliversTheQueuedMessagesOnceInOrder(String transport) throws Exception {
        boolean tls = transport.startsWith("wss");
        Transport chosen = Transport.named(tls ? "virtual" : transport);
        if (tls) {
            CERTIFICATE.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
            chosen = TlsTransport.client(TlsClientConfig.trusting(dir.resolve("cert.pem"))).over(chosen);
        }
        URI uri = URI.create((tls ? "wss://localhost:" : "ws://127.0.0.1:") + port() + "/record");
        int port = uri.getPort();
        Reconnect policy = Reconnect.defaults()
                .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(500)));
        Events events = new Events();
        PeerProcess first = startServer(port, tls);
        try (WebSocketClient client = WebSocketClient.builder().transport(chosen).build()) {
            ReconnectingWebSocket ws = client.connectReconnecting(uri, events, policy);
            ws.firstOpen().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals("open", events.next());
            ws.sendText("before").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals("text before", events.next());
            assertEquals("received before", first.nextLine(TIMEOUT));

            first.close(); // the server stops: it ends every connection without a close frame, and exits
            String reconnecting = events.lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(reconnecting != null && reconnecting.startsWith("reconnecting "), String.valueOf(reconnecting));
            List<CompletableFuture<Void>> queued = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                queued.add(ws.sendText("q" + i));
            }
            assertTrue(queued.stream().noneMatch(CompletableFuture::isDone), "sent while no server runs");

            try (PeerProcess second = startServer(port, tls)) {
                assertEquals("reconnected", events.next());
                assertEquals("open", events.next());
                ws.sendText("after").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                for (CompletableFuture<Void> future : queued) {
                    future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                List<String> received = new ArrayList<>();
                List<String> echoed = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    received.add(second.nextLine(TIMEOUT));
                    echoed.add(events.next());
                }
                assertEquals(List.of("received q1", "received q2", "received q3", "received q4", "received q5",
                        "received after"), received);
                assertEquals(List.of("text q1", "text q2", "text q3", "text q4", "text q5", "text after"), echoed);
                CloseStatus status = ws.close(1000, "done").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(1000, status.code());
                assertEquals("close 1000", events.next());
                assertEquals("closed /record 1000 done", second.nextLine(TIMEOUT));
                assertEquals(2, ws.connections());
                // nothing was sent twice: the server saw exactly these lines
                assertEquals("listening " + port + "\nreceived q1\nreceived q2\nreceived q3\nreceived q4\nreceived q5\n"
                        + "received after\nclosed /record 1000 done\n", second.output());
            }
        } finally {
            first.close();
        }
    }
}
