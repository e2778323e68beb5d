package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;

/**
 * A scripted Engine.IO/Socket.IO peer over our WebSocket client: it sends any text or binary
 * frame, valid or not, and records what arrives (pings are answered unless told not to).
 */
final class RawClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final WebSocket webSocket;
    private final WebSocketClient client;
    volatile boolean answerPings = true;
    final String sid;

    private RawClient(WebSocketClient client, URI uri) throws Exception {
        this.client = client;
        this.webSocket = client.connect(uri, new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, String text) {
                if (text.equals("2") && answerPings) {
                    ws.sendText("3");
                }
                frames.add(text);
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                frames.add(bytes);
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                closed.complete(status);
            }
        }).get(10, TimeUnit.SECONDS);
        String open = nextText();
        assertTrue(open.startsWith("0{"), open);
        this.sid = JSON.readTree(open.substring(1)).get("sid").asText();
    }

    /** Opens an Engine.IO session over WebSocket (no sid: WebSocket from the start). */
    static RawClient open(WebSocketClient client, int port, String path) throws Exception {
        return new RawClient(client, URI.create("ws://127.0.0.1:" + port + path + "?EIO=4&transport=websocket"));
    }

    void send(String text) {
        webSocket.sendText(text).join();
    }

    void sendBinary(byte[] bytes) {
        webSocket.sendBinary(ByteBuffer.wrap(bytes)).join();
    }

    /** The next text frame, pings skipped. */
    String nextText() throws InterruptedException {
        while (true) {
            Object frame = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(frame, "no frame within 10 s");
            if (frame instanceof String text) {
                if (text.equals("2")) {
                    continue;
                }
                return text;
            }
            fail("expected a text frame, got " + ((byte[]) frame).length + " bytes");
        }
    }

    /** The next frame, pings included. */
    Object nextFrame() throws InterruptedException {
        Object frame = frames.poll(10, TimeUnit.SECONDS);
        assertNotNull(frame, "no frame within 10 s");
        return frame;
    }

    byte[] nextBinary() throws InterruptedException {
        Object frame = frames.poll(10, TimeUnit.SECONDS);
        assertNotNull(frame, "no frame within 10 s");
        assertTrue(frame instanceof byte[], "expected binary, got " + frame);
        return (byte[]) frame;
    }

    /** Whether nothing arrives within a short wait. */
    boolean quietFor(long millis) throws InterruptedException {
        Object frame = frames.poll(millis, TimeUnit.MILLISECONDS);
        while (frame != null && "2".equals(frame)) {
            frame = frames.poll(millis, TimeUnit.MILLISECONDS);
        }
        return frame == null;
    }

    /** Joins a namespace; returns the socket id from the server's answer. */
    String connect(String namespace, String auth) throws Exception {
        String prefix = "/".equals(namespace) ? "" : namespace + ",";
        send("40" + prefix + (auth == null ? "" : auth));
        String answer = nextText();
        assertTrue(answer.startsWith("40" + prefix + "{"), answer);
        return json(answer.substring(2 + prefix.length())).get("sid").asText();
    }

    /** The next Socket.IO packet text, expected to start with {@code prefix}; returns the JSON after it. */
    JsonNode expect(String prefix) throws Exception {
        String text = nextText();
        assertTrue(text.startsWith(prefix), "expected " + prefix + "..., got " + text);
        String rest = text.substring(prefix.length());
        return rest.isEmpty() ? null : json(rest);
    }

    void expectExactly(String text) throws Exception {
        assertEquals(text, nextText());
    }

    CloseStatus awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    void abort() {
        webSocket.abort();
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Override
    public void close() {
        webSocket.abort();
    }

    WebSocketClient client() {
        return client;
    }
}
