package ws.protocol.api;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeRequest;

/**
 * One WebSocket connection, on either side. Safe to use from any thread.
 *
 * <p>Every send returns a future that completes when the frame bytes were handed to the network
 * (or fails: the connection closed first, or the backpressure policy refused the send). Sends are
 * written in the order they were called. Misuse (a send after this side's own {@link #close}, a text
 * part interleaved with a binary message, a control payload over 125 bytes) throws at once. A send
 * that meets a connection closing for another reason (the peer's close frame, which may arrive
 * together with the message being answered; a failure; a timeout; a server shutdown) is not misuse:
 * its future fails with an {@link java.io.IOException}.
 */
public interface WebSocket {

    /** An id unique within this JVM, for logs and the server's registry. */
    String id();

    /** The current state. */
    ReadyState readyState();

    /** The HTTP request that opened this connection (the one received on a server, sent on a client). */
    HandshakeRequest request();

    /** The agreed subprotocol, or empty when none. */
    String subprotocol();

    /** The agreed extensions, in order. */
    List<ExtensionParameters> extensions();

    /** The peer's address; for in-memory connections, a descriptive address. */
    SocketAddress remoteAddress();

    /** Our own address. */
    SocketAddress localAddress();

    /**
     * Per-connection storage for the application (a user id, a session): thread-safe, starting with
     * what the handshake interceptor attached.
     */
    Map<String, Object> attributes();

    /** Bytes accepted by send calls and not yet written to the network: exact. */
    long bufferedAmount();

    /** Sends a text message. */
    CompletableFuture<Void> sendText(CharSequence text);

    /** Sends part of a text message; {@code last} ends it. Parts of one message must not interleave with other messages. */
    CompletableFuture<Void> sendText(CharSequence part, boolean last);

    /**
     * Sends a binary message: the bytes from position to limit. Large payloads may be written from
     * {@code data} itself rather than a copy: do not change its bytes until the future completes.
     */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /**
     * Sends part of a binary message; {@code last} ends it. As with {@link #sendBinary(ByteBuffer)},
     * do not change the part's bytes until the future completes.
     */
    CompletableFuture<Void> sendBinary(ByteBuffer part, boolean last);

    /** Sends a message encoded once for many connections. */
    CompletableFuture<Void> send(PreparedMessage message);

    /** Sends a ping (payload at most 125 bytes). */
    CompletableFuture<Void> ping(ByteBuffer payload);

    /** Sends an unsolicited pong (payload at most 125 bytes). */
    CompletableFuture<Void> pong(ByteBuffer payload);

    /**
     * Starts the close handshake with this code and reason (at most 123 UTF-8 bytes). The future
     * completes with the final status once the connection is closed: after the peer's close frame,
     * or after the close timeout, when the connection is aborted.
     */
    CompletableFuture<CloseStatus> close(int code, String reason);

    /** Closes with 1000 and no reason. */
    default CompletableFuture<CloseStatus> close() {
        return close(ws.protocol.CloseCodes.NORMAL_CLOSURE, "");
    }

    /** Closes the network connection now, without a close handshake; the status is 1006. */
    void abort();

    /** Completes with the final status when the connection is closed, however that happened. */
    CompletableFuture<CloseStatus> closeFuture();
}
