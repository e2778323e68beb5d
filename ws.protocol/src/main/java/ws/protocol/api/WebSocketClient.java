package ws.protocol.api;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Opens client connections. Holds the transport's shared resources (timers); close it when done,
 * which aborts its open connections.
 */
public interface WebSocketClient extends AutoCloseable {

    /** A builder for a client. */
    static ClientOptions.Builder builder() {
        return new ClientOptions.Builder();
    }

    /** A client with default options on the default transport. */
    static WebSocketClient create() {
        return builder().build();
    }

    /** The options it runs with. */
    ClientOptions options();

    /**
     * Connects to a {@code ws://} (or, with the TLS transport, {@code wss://}) URI. The future completes
     * with the open connection after {@link WebSocketListener#onOpen}, or fails with the cause
     * (connect timeout, handshake timeout, a refused handshake as a
     * {@link ws.protocol.handshake.HandshakeException} carrying the status).
     */
    CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener);

    @Override
    void close();
}
