package ws.interop;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.extension.ExtensionFactory;

/**
 * Our server with the routes every interop peer expects (interop/node/common.mjs):
 * <ul>
 *   <li>{@code /echo}: every message back with the same type;</li>
 *   <li>{@code /close}: a text {@code "CODE REASON"} makes the server close with that code and reason;</li>
 *   <li>{@code /ping}: pings {@value #PING_PAYLOAD} on open and answers each pong with a text {@code "pong:<payload>"};</li>
 *   <li>{@code /fragments}: a text {@code "N:TEXT"} comes back as TEXT in N fragments, a binary
 *       message in 3 fragments.</li>
 * </ul>
 * It accepts permessage-deflate when a client offers it. Every close is recorded, with its path,
 * for the tests to check what the peer sent.
 */
public final class ScenarioServer implements AutoCloseable {
    /** What the server pings on {@code /ping}. */
    public static final String PING_PAYLOAD = "ping-from-server";

    private final WebSocketServer server;
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    /** {@code ws://127.0.0.1} or, over TLS, {@code wss://localhost} (a name the certificate must match). */
    private final String origin;

    private ScenarioServer(Transport transport) throws IOException {
        this(transport, "ws://127.0.0.1");
    }

    private ScenarioServer(Transport transport, String origin) throws IOException {
        this.origin = origin;
        server = WebSocketServer.builder()
                .port(0)
                .transport(transport)
                .route("/echo", new Echo())
                .route("/close", new Closer())
                .route("/ping", new Pinger())
                .route("/fragments", new Fragmenter())
                .connection(options -> options.withExtensions(installedExtensions()))
                .start();
    }

    /** The extensions on the module path (permessage-deflate), found with ServiceLoader. */
    public static List<ExtensionFactory> installedExtensions() {
        return ServiceLoader.load(ExtensionFactory.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** Starts a server on a free loopback port with the named transport ({@code "blocking"}, {@code "virtual"}). */
    public static ScenarioServer start(String transport) throws IOException {
        return new ScenarioServer(Transport.named(transport));
    }

    /**
     * Starts a wss:// server on a free loopback port: TLS with {@code tls} over the named transport.
     * Its base URL names {@code localhost}, for which the certificate must be made.
     */
    public static ScenarioServer startTls(String transport, ws.transport.tls.TlsServerConfig tls) throws IOException {
        return new ScenarioServer(ws.transport.tls.TlsTransport.server(tls).over(Transport.named(transport)),
                "wss://localhost");
    }

    /** {@code ws://127.0.0.1:PORT} (or {@code wss://localhost:PORT}), without a path. */
    public String baseUrl() {
        return origin + ":" + server.port();
    }

    /** The URI of a route. */
    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /**
     * The next close the server saw, as {@code "PATH CODE REASON"} (the code the peer sent, or
     * 1006 when the connection ended without one).
     */
    public String nextClose(Duration timeout) throws InterruptedException {
        String close = closes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (close == null) {
            throw new AssertionError("the server saw no connection close within " + timeout);
        }
        return close;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Splits {@code text} into {@code n} parts of nearly equal length, by characters. */
    static String[] split(String text, int n) {
        String[] parts = new String[n];
        int size = (text.length() + n - 1) / n;
        for (int i = 0; i < n; i++) {
            parts[i] = text.substring(Math.min(text.length(), i * size), Math.min(text.length(), (i + 1) * size));
        }
        return parts;
    }

    /** Records every close with its path. */
    private class Recording implements WebSocketListener {
        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closes.add(webSocket.request().path() + " " + status.code() + " " + status.reason());
        }
    }

    private final class Echo extends Recording {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            webSocket.sendBinary(data);
        }
    }

    private final class Closer extends Recording {
        @Override
        public void onText(WebSocket webSocket, String text) {
            int space = text.indexOf(' ');
            int code = Integer.parseInt(space < 0 ? text : text.substring(0, space));
            webSocket.close(code, space < 0 ? "" : text.substring(space + 1));
        }
    }

    private final class Pinger extends Recording {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.ping(ByteBuffer.wrap(PING_PAYLOAD.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void onPong(WebSocket webSocket, ByteBuffer payload) {
            webSocket.sendText("pong:" + StandardCharsets.UTF_8.decode(payload));
        }
    }

    private final class Fragmenter extends Recording {
        @Override
        public void onText(WebSocket webSocket, String text) {
            int colon = text.indexOf(':');
            String[] parts = split(text.substring(colon + 1), Integer.parseInt(text.substring(0, colon)));
            for (int i = 0; i < parts.length; i++) {
                webSocket.sendText(parts[i], i == parts.length - 1);
            }
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            int size = (data.remaining() + 2) / 3;
            for (int i = 0; i < 3; i++) {
                int start = Math.min(data.limit(), data.position() + i * size);
                int end = Math.min(data.limit(), start + size);
                webSocket.sendBinary(data.slice(start, end - start), i == 2);
            }
        }
    }
}
