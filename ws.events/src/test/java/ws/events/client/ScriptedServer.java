package ws.events.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.testkit.Loopback;

/**
 * A Socket.IO server played by the test on the loopback network: it sends the Engine.IO handshake
 * on every connection, records every text the client sends, and sends what the test says.
 */
final class ScriptedServer implements WebSocketListener, AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private final WebSocketServer server;
    private final String handshake;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebSocket> connections = new LinkedBlockingQueue<>();
    private volatile WebSocket current;

    /** A server whose handshake asks for these heartbeat timings (in milliseconds). */
    ScriptedServer(Loopback loopback, long pingInterval, long pingTimeout) {
        handshake = "0{\"sid\":\"engine-1\",\"upgrades\":[],\"pingInterval\":" + pingInterval
                + ",\"pingTimeout\":" + pingTimeout + ",\"maxPayload\":1000000}";
        server = loopback.startServer("/socket.io/", this);
    }

    /** The URI a client is built with. */
    URI uri() {
        return URI.create("http://" + Loopback.HOST + ":" + server.port());
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        current = webSocket;
        webSocket.sendText(handshake);
        connections.add(webSocket);
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        received.add(text);
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        received.add("closed");
    }

    /** Waits for the next connection. */
    WebSocket nextConnection() throws InterruptedException {
        WebSocket webSocket = connections.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (webSocket == null) {
            throw new AssertionError("no connection within " + WAIT);
        }
        return webSocket;
    }

    /** The next text the client sent (or "closed"). */
    String next() throws InterruptedException {
        String text = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("the client sent nothing within " + WAIT);
        }
        return text;
    }

    /** How many connections are open now. */
    int connectionCount() {
        return server.connectionCount();
    }

    /** Sends a text to the latest connection. */
    void send(String text) {
        current.sendText(text);
    }

    /** Sends a binary message (an attachment) to the latest connection. */
    void sendBinary(byte[] bytes) {
        current.sendBinary(java.nio.ByteBuffer.wrap(bytes));
    }

    /** Drops the latest connection without a close handshake. */
    void drop() {
        current.abort();
    }

    /** Answers the client's CONNECT to {@code namespace} with a socket id (and a recovery pid, or none). */
    void acceptConnect(String namespace, String sid, String pid) throws InterruptedException {
        String prefix = "/".equals(namespace) ? "" : namespace + ",";
        String connect = next();
        if (!connect.startsWith("40" + prefix)) {
            throw new AssertionError("expected a CONNECT to " + namespace + ", got " + connect);
        }
        send("40" + prefix + "{\"sid\":\"" + sid + "\"" + (pid != null ? ",\"pid\":\"" + pid + "\"" : "") + "}");
    }

    @Override
    public void close() {
        server.close();
    }
}
