package ws.protocol.api;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Opens client connections. Holds the transport's shared resources (timers); close it when done,
 * which aborts its open connections and stops its reconnecting ones.
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

    /**
     * Connects to {@code uri} and keeps connecting again, as {@code policy} says, whenever the
     * connection is lost (or cannot be made): see {@link ReconnectingWebSocket} for what the handle and
     * the listener see, and {@link Reconnect} for which ends reconnect. Returns at once; the first
     * connection is under way ({@link ReconnectingWebSocket#firstOpen()}). The backoff waits run on
     * this client's timers (a test's manual clock on the testkit's loopback).
     *
     * <p>The listener gets whole messages, and the handle, not each connection: fragment-level and
     * streamed delivery ({@link FragmentListener}, {@code MessageStreams.receiving}) and listeners
     * that need the connection itself ({@link ConnectionBoundListener}: {@code MessagePublisher}) work
     * on a connection from {@link #connect} only, and are refused here.
     *
     * @param listener a {@link WebSocketListener}; a {@link ReconnectListener} also hears the
     *                 reconnections
     * @throws IllegalArgumentException for a URI this client cannot reach (its scheme, no host), a
     *                                  {@link FragmentListener} or a {@link ConnectionBoundListener}
     * @throws IllegalStateException    when the client is closed
     */
    ReconnectingWebSocket connectReconnecting(URI uri, WebSocketListener listener, Reconnect policy);

    @Override
    void close();
}
