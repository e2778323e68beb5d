package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/** {@code ws echo} in process: what it echoes, on which paths, and how it shuts down. */
class EchoCommandTest {
    private static final long TIMEOUT = 20;

    /** Records what a client receives as strings: "text:...", "binary:<hex>", "close:<code>". */
    static final class Recorder implements WebSocketListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        String next() throws InterruptedException {
            String event = events.poll(TIMEOUT, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("nothing received in " + TIMEOUT + " s");
            }
            return event;
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            events.add("text:" + text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            events.add("binary:" + java.util.HexFormat.of().formatHex(bytes));
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            events.add("close:" + status.code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoesTextAsTextAndBinaryAsBinaryOnAnyPath(String transport) throws Exception {
        EchoCommand echo = EchoCommand.parse(List.of("--port", "0", "--transport", transport));
        WebSocketServer server = echo.start();
        try (WebSocketClient client = WebSocketClient.builder().transport(Transport.named(transport)).build()) {
            for (String path : List.of("/", "/deep/path?query=1")) {
                Recorder recorder = new Recorder();
                WebSocket webSocket = client.connect(
                        java.net.URI.create("ws://127.0.0.1:" + server.port() + path), recorder).get(TIMEOUT, TimeUnit.SECONDS);
                webSocket.sendText("héllo ✓");
                assertEquals("text:héllo ✓", recorder.next());
                webSocket.sendBinary(ByteBuffer.wrap("héllo ✓".getBytes(StandardCharsets.UTF_8)));
                assertEquals("binary:68c3a96c6c6f20e29c93", recorder.next());
                webSocket.close().get(TIMEOUT, TimeUnit.SECONDS);
                assertEquals("close:1000", recorder.next());
            }
            Recorder recorder = new Recorder();
            client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/"), recorder)
                    .get(TIMEOUT, TimeUnit.SECONDS);
            server.shutdown(Duration.ofSeconds(5)).get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals("close:1001", recorder.next(), "a shutdown says going away to every client");
        } finally {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void acceptsTheLargestConformanceMessages(String transport) throws Exception {
        EchoCommand echo = EchoCommand.parse(List.of("--port", "0", "--transport", transport));
        WebSocketServer server = echo.start();
        try (WebSocketClient client = WebSocketClient.builder().transport(Transport.named(transport)).build()) {
            assertEquals(16L << 20, server.options().connection().limits().maxMessageSize());
            assertEquals(Duration.ZERO, server.options().connection().idleTimeout());
            BlockingQueue<Integer> sizes = new LinkedBlockingQueue<>();
            WebSocket webSocket = client.connect(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketListener() {
                        @Override
                        public void onBinary(WebSocket ws, ByteBuffer data) {
                            sizes.add(data.remaining());
                        }
                    }).get(TIMEOUT, TimeUnit.SECONDS);
            webSocket.sendBinary(ByteBuffer.allocate(16 << 20));
            assertEquals(16 << 20, sizes.poll(TIMEOUT, TimeUnit.SECONDS));
            webSocket.close().get(TIMEOUT, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }
}
