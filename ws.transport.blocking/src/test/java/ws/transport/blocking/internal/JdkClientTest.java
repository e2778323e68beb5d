package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;

/** The JDK's own client ({@code java.net.http.WebSocket}) against our server: an independent implementation. */
class JdkClientTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    /** Collects what the JDK client receives, whole messages only. */
    static final class JdkListener implements java.net.http.WebSocket.Listener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public void onOpen(java.net.http.WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(java.net.http.WebSocket webSocket, ByteBuffer message) {
            received.add("pong:" + java.nio.charset.StandardCharsets.UTF_8.decode(message));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket webSocket, int statusCode, String reason) {
            received.add("close:" + statusCode + ":" + reason);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket webSocket, Throwable error) {
            received.add(error);
        }

        Object next() throws InterruptedException {
            Object value = received.poll(10, TimeUnit.SECONDS);
            if (value instanceof Throwable error) {
                throw new AssertionError("JDK client error", error);
            }
            return value;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void textBinaryPingAndClose(Transport transport) throws Exception {
        Recorder serverSide = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).route("/echo", serverSide).start();
             HttpClient http = HttpClient.newHttpClient()) {
            JdkListener listener = new JdkListener();
            java.net.http.WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(Support.uri(server, "/echo"), listener).get(10, TimeUnit.SECONDS);
            ws.sendText("from the JDK", true).get(30, TimeUnit.SECONDS);
            assertEquals("from the JDK", listener.next());
            byte[] big = new byte[300_000];
            new java.util.Random(1).nextBytes(big);
            ws.sendBinary(ByteBuffer.wrap(big), true).get(30, TimeUnit.SECONDS);
            assertArrayEquals(big, (byte[]) listener.next());
            ws.sendPing(ByteBuffer.wrap("hi".getBytes())).get(30, TimeUnit.SECONDS);
            assertEquals("pong:hi", listener.next());
            ws.sendClose(4321, "jdk done").get(30, TimeUnit.SECONDS);
            assertEquals("close:4321:", listener.next(), "our server echoes the code without the reason");
            CloseStatus atServer = serverSide.awaitClose();
            assertEquals(4321, atServer.code());
            assertEquals("jdk done", atServer.reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void serverInitiatedClose(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/c", serverSide).start();
             HttpClient http = HttpClient.newHttpClient()) {
            JdkListener listener = new JdkListener();
            java.net.http.WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(Support.uri(server, "/c"), listener).get(10, TimeUnit.SECONDS);
            serverSide.awaitOpen().close(1001, "bye");
            assertEquals("close:1001:bye", listener.next());
            // the JDK client echoes the code once onClose returns; the server reports the peer's code
            assertEquals(1001, serverSide.awaitClose().code());
            assertEquals(true, ws.isInputClosed());
        }
    }
}
