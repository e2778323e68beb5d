package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * Two of our endpoints flood each other: both echo every message, large ones, with far more bytes in
 * flight than the (small) socket buffers hold, so both sides' writes block while both keep sending.
 * The reader must never block on the network (see {@link Outbound}): otherwise both readers would wait
 * for each other to read, and the exchange would stop.
 */
class FloodTest {
    private static final int SOCKET_BUFFER = 32 << 10;
    private static final int MESSAGE = 256 << 10;
    private static final int IN_FLIGHT = 16;
    private static final int ROUNDS = 300;

    static Stream<Transport> transports() {
        return Stream.of(
                new SocketTransport(TransportSettings.platformThreads().withBuffers(32 << 10, 16 << 10, SOCKET_BUFFER)),
                new SocketTransport(Support.virtualSettings().withBuffers(32 << 10, 8 << 10, SOCKET_BUFFER)));
    }

    /** Echoes every binary message back and counts them. */
    static final class Echo implements WebSocketListener {
        final AtomicInteger received = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        final CompletableFuture<Integer> reached = new CompletableFuture<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        final int target;

        Echo(int target) {
            this.target = target;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            opened.complete(webSocket);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            bytes.addAndGet(data.remaining());
            if (received.incrementAndGet() == target) {
                reached.complete(target);
            }
            webSocket.sendBinary(ByteBuffer.allocate(data.remaining()).put(data).flip());
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closed.complete(status);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void bothEchoLargeMessagesWithoutDeadlock(Transport transport) throws Exception {
        Echo serverSide = new Echo(Integer.MAX_VALUE);
        Echo clientSide = new Echo(ROUNDS);
        try (WebSocketServer server = Support.server(transport).route("/flood", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            WebSocket webSocket = client.connect(Support.uri(server, "/flood"), clientSide).get(10, TimeUnit.SECONDS);
            byte[] payload = new byte[MESSAGE];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 31);
            }
            // more in flight than both socket buffers and both queues' first writes together
            for (int i = 0; i < IN_FLIGHT; i++) {
                webSocket.sendBinary(ByteBuffer.wrap(payload));
            }
            // each message travels client -> server -> client ROUNDS / IN_FLIGHT times; a deadlock
            // stops the count for good
            assertEquals(ROUNDS, clientSide.reached.get(60, TimeUnit.SECONDS));
            assertTrue(serverSide.received.get() >= ROUNDS, "server echoed " + serverSide.received.get());
            assertTrue(clientSide.bytes.get() >= (long) ROUNDS * MESSAGE);
            assertTrue(!clientSide.closed.isDone() && !serverSide.closed.isDone(), "neither side closed");
        }
    }
}
