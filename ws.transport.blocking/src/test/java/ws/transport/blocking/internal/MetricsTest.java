package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.api.ServerMetrics;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * {@link WebSocketServer#metrics()} counts the same on every transport: connections opened and
 * closed, messages and bytes each way, refused upgrade requests by HTTP status.
 */
class MetricsTest {
    private static final String EVERY = "ws.transport.blocking.internal.Support#transports";

    @ParameterizedTest(name = "{0}")
    @MethodSource(EVERY)
    void connectionsMessagesBytesAndRefusalsAreCounted(Transport transport) throws Exception {
        Recorder serverSide = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).route("/echo", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder clientSide = new Recorder();
            WebSocket webSocket = client.connect(Support.uri(server, "/echo"), clientSide)
                    .get(Support.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            clientSide.next(Recorder.Open.class);
            for (int i = 0; i < 3; i++) {
                webSocket.sendText("message " + i).get(30, TimeUnit.SECONDS);
                assertEquals("message " + i, clientSide.nextText());
            }
            ServerMetrics open = server.metrics();
            assertEquals(1, open.openConnections());
            assertEquals(1, open.connectionsOpened());
            assertEquals(3, open.messagesReceived());
            assertEquals(3, open.messagesSent());
            assertTrue(open.bytesReceived() > 3 * "message 0".length(), open.toString());
            assertTrue(open.bytesSent() > 3 * "message 0".length(), open.toString());

            webSocket.close(CloseCodes.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
            webSocket.closeFuture().get(30, TimeUnit.SECONDS);
            // an upgrade request for a path with no route: refused with 404
            assertThrows(ExecutionException.class, () -> client.connect(Support.uri(server, "/nothing-here"), new Recorder())
                    .get(Support.WAIT.toMillis(), TimeUnit.MILLISECONDS));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            ServerMetrics after = server.metrics();
            while ((after.connectionsClosed() < 1 || after.handshakeRejectionCount() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(20);
                after = server.metrics();
            }
            assertEquals(0, after.openConnections(), after.toString());
            assertEquals(1, after.connectionsClosed(), after.toString());
            assertEquals(Map.of(404, 1L), after.handshakeRejections(), after.toString());
        }
    }
}
