package ws.protocol.api;

import java.nio.ByteBuffer;
import ws.protocol.CloseStatus;

/**
 * Receives one connection's events. Callbacks never run concurrently for one connection. An
 * exception thrown by a callback fails the connection with 1011 (after {@link #onError}).
 * Every method has an empty default, so implement only what you need.
 */
public interface WebSocketListener {

    /** The connection is open: sends may start. */
    default void onOpen(WebSocket webSocket) {
    }

    /** A complete text message arrived. */
    default void onText(WebSocket webSocket, String text) {
    }

    /** A complete binary message arrived; the buffer is the listener's to keep. */
    default void onBinary(WebSocket webSocket, ByteBuffer data) {
    }

    /** A ping arrived; the pong was already sent. */
    default void onPing(WebSocket webSocket, ByteBuffer payload) {
    }

    /** A pong arrived. */
    default void onPong(WebSocket webSocket, ByteBuffer payload) {
    }

    /**
     * Something went wrong: the peer broke the protocol, the network failed, a callback threw, a
     * timeout fired. {@link #onClose} follows.
     */
    default void onError(WebSocket webSocket, Throwable error) {
    }

    /**
     * The connection is over; called exactly once, last, also when it never opened. By then its
     * transport is closed and it has left its server's registry: {@link WebSocketServer#connectionCount()},
     * {@link WebSocketServer#connections()} and a broadcast no longer include it, and
     * {@link WebSocketServer#metrics()} counts it as closed. Its {@link WebSocket#closeFuture()}
     * completes after this returns.
     */
    default void onClose(WebSocket webSocket, CloseStatus status) {
    }
}
