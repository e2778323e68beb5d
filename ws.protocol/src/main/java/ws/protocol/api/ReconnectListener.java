package ws.protocol.api;

import java.time.Duration;
import ws.protocol.CloseStatus;

/**
 * A {@link WebSocketListener} that also hears how a {@link ReconnectingWebSocket} reconnects. Pass it
 * to {@link WebSocketClient#connectReconnecting}; a plain {@code WebSocketListener} works too and
 * simply does not hear these. Every callback gets the reconnecting handle, and, as for any
 * connection, the callbacks never run concurrently and run in the order things happened.
 *
 * <p>The order, for a connection that drops and comes back:
 * {@code onOpen, (messages), [onError], onReconnecting(1, ...), [onReconnecting(2, ...), ...],
 * onReconnected, onOpen, (messages), ..., onClose}; and when it gives up:
 * {@code ..., onReconnecting(n, ...), onGaveUp, onClose}.
 */
public interface ReconnectListener extends WebSocketListener {

    /**
     * The connection ended (or an attempt failed) in a way that reconnects: attempt {@code attempt}
     * (from 1, counting failed attempts in a row) starts after {@code delay}.
     *
     * @param cause how the connection ended: the close code exchanged, or 1006 (1015) with the failure
     *              as {@link CloseStatus#cause()} (a {@link java.net.ConnectException}, a
     *              {@link ws.protocol.handshake.HandshakeException} carrying the HTTP status, ...)
     */
    default void onReconnecting(ReconnectingWebSocket webSocket, int attempt, Duration delay, CloseStatus cause) {
    }

    /**
     * A connection is open after {@code attempts} attempts (each announced by {@link #onReconnecting}:
     * after a loss, or after the first connect failed); the messages queued while down were handed to
     * it. {@link #onOpen} follows.
     */
    default void onReconnected(ReconnectingWebSocket webSocket, int attempts) {
    }

    /**
     * The client stops trying: {@link Reconnect#maxAttempts()} attempts in a row failed (the last one
     * with {@code cause}). Queued messages fail; {@link #onClose} follows with {@code cause}.
     */
    default void onGaveUp(ReconnectingWebSocket webSocket, int attempts, CloseStatus cause) {
    }
}
