package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.List;
import ws.protocol.CloseStatus;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;

/** What the engine reports after it was fed bytes or called. Events are values; nouns name them. */
public sealed interface ProtocolEvent {

    /**
     * Server: a valid WebSocket upgrade request arrived. The driver decides and calls
     * {@link ServerProtocol#accept} or {@link ServerProtocol#reject}.
     */
    record RequestReceived(HandshakeRequest request) implements ProtocolEvent {
    }

    /**
     * Server: a request arrived that is well-formed HTTP but not a WebSocket upgrade (no
     * {@code Upgrade: websocket}). The driver answers it with {@link ServerProtocol#respond}
     * (a page, 404, or 426), and the connection ends.
     */
    record HttpRequestReceived(HandshakeRequest request) implements ProtocolEvent {
    }

    /**
     * The opening handshake succeeded; the connection is open.
     *
     * @param subprotocol the agreed subprotocol, empty when none
     * @param extensions  the agreed extensions, in the order they apply
     */
    record Opened(HandshakeRequest request, HandshakeResponse response, String subprotocol,
                  List<ExtensionParameters> extensions) implements ProtocolEvent {
    }

    /**
     * The opening handshake failed. Server: the request was invalid and an error response (400, 405,
     * 426, 431, ...) is queued, or the driver rejected it. Client: the response was not a valid accept.
     *
     * @param error    what went wrong, with the HTTP status
     * @param response the response sent (server) or received (client), or {@code null} when there was none
     */
    record Rejected(HandshakeException error, HandshakeResponse response) implements ProtocolEvent {
    }

    /** A complete text message, validated UTF-8. */
    record TextMessage(String text) implements ProtocolEvent {
    }

    /** A complete binary message. The buffer belongs to the receiver. */
    record BinaryMessage(ByteBuffer data) implements ProtocolEvent {
    }

    /**
     * One data frame of a message, not assembled (only when the driver asked for fragments:
     * {@link Protocol#deliverFragments}), after every check: the sequence (RFC 6455 section 5.4), the
     * extensions (inflated), UTF-8 of a text message validated across fragment boundaries (a
     * fragment may end inside a character: the next one completes it), and the size limits.
     *
     * @param text  whether the message is text (its bytes are then valid UTF-8 so far)
     * @param first whether this frame starts the message
     * @param last  whether this frame ends the message (FIN)
     * @param data  the frame's payload; the buffer belongs to the receiver
     */
    record Fragment(boolean text, boolean first, boolean last, ByteBuffer data) implements ProtocolEvent {
    }

    /** A ping arrived; the engine has already queued the pong. */
    record Ping(ByteBuffer payload) implements ProtocolEvent {
    }

    /** A pong arrived (solicited or not). */
    record Pong(ByteBuffer payload) implements ProtocolEvent {
    }

    /**
     * The peer's close frame arrived. If we had not sent ours, the engine has queued the echo
     * (RFC 6455 section 5.5.1).
     */
    record CloseReceived(CloseStatus status) implements ProtocolEvent {
    }

    /**
     * The peer broke the protocol (or the input ended mid-frame). The engine has queued a close frame
     * with {@code status.code()} (unless it had sent one already, or the code is 1006: the input ended
     * in the middle of a frame, and nothing is sent) and discards further input;
     * {@code status.cause()} says which rule was broken and the value seen. {@link Closed} follows.
     */
    record Failed(CloseStatus status) implements ProtocolEvent {
    }

    /**
     * The connection is over at the protocol level: the final status, exactly once, last. The
     * driver writes what is left of the output and closes the socket.
     *
     * @param status the peer's close status after a close handshake, the failure's status, or
     *               1006 when the input ended without one
     */
    record Closed(CloseStatus status) implements ProtocolEvent {
    }
}
