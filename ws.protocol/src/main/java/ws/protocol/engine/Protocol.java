package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.List;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
import ws.protocol.extension.ExtensionParameters;

/**
 * One connection's protocol state, for either side. Bytes in ({@link #receiveData}) give events out
 * ({@link #events}); calls in ({@link #sendText} ...) give bytes out ({@link #dataToSend}).
 *
 * <p>Errors: what the peer does wrong never throws; it fails the connection with the close code the
 * RFC names and a {@link ProtocolEvent.Failed} event. What our caller does wrong (sending after close,
 * a ping payload over 125 bytes, a close code that may not be sent) throws
 * {@link IllegalStateException} or {@link IllegalArgumentException} at once and changes nothing.
 *
 * <p>Not thread-safe. See the package documentation for the driver's contract.
 */
public abstract sealed class Protocol permits ClientProtocol, ServerProtocol {
    /** The framing state both sides share; the subclasses add their half of the handshake. */
    final Connection connection;

    Protocol(Connection connection) {
        this.connection = connection;
    }

    /** Which side this engine plays. */
    public abstract Side side();

    /** Where the connection is. */
    public final ProtocolState state() {
        return connection.state();
    }

    /** Feeds bytes read from the peer; consumes all of {@code data}. Never throws for peer errors. */
    public abstract void receiveData(ByteBuffer data);

    /** The peer closed its output (TCP FIN) or the transport gave up on it. */
    public abstract void receiveEof();

    /** Drains the events produced since the last call, in order. */
    public final List<ProtocolEvent> events() {
        return connection.events();
    }

    /**
     * From now on adds each event to {@code queue} as it happens, in order, instead of keeping it for
     * {@link #events()} (which then returns nothing; events kept until now move to {@code queue} at
     * once): for a driver that queues the events anyway, with no list per call. The queue is used
     * under the same lock as the engine. {@code null} goes back to keeping them for {@link #events()}
     * (a driver that lets go of an idle connection's empty queue).
     */
    public final void deliverEventsTo(java.util.Queue<? super ProtocolEvent> queue) {
        connection.deliverEventsTo(queue);
    }

    /** Drains the bytes to write since the last call, in order. The buffers belong to the caller. */
    public final List<ByteBuffer> dataToSend() {
        return connection.dataToSend();
    }

    /**
     * Drains the output by lane (control frames that may overtake data, then the data lane) and,
     * once the connection is closed and everything before it drained, the end of output: the
     * alternative to {@link #dataToSend()} for a driver that queues control frames ahead of data and
     * half-closes on the engine's word (see {@link OutputHandler}). {@code dataToSend()} returns the
     * same bytes in the engine's order, and no end-of-output marker; use one or the other.
     */
    public final void drainOutput(OutputHandler handler) {
        connection.drainOutput(handler);
    }

    /**
     * Tells the engine that every buffer drained so far ({@link #dataToSend}, {@link #drainOutput}) has
     * been written and none of their bytes is used any more, so that later frames may be written over
     * that memory instead of into a newly allocated buffer. For a driver that knows when its writes are
     * done; without this call a drained buffer is never written to again.
     */
    public final void recycleOutput() {
        connection.recycleOutput();
    }

    /** The number of bytes {@link #dataToSend} would return now. */
    public final long pendingOutputBytes() {
        return connection.pendingOutputBytes();
    }

    /**
     * Lets go of the buffers kept for the next message and the next output while none is in progress
     * (the driver calls it when the connection goes idle): an idle connection then holds none. Any
     * state, any time; it changes nothing else.
     */
    public final void trim() {
        connection.trim();
    }

    /**
     * The bytes of the buffers the engine keeps now for the next message, frame or output (receive
     * buffers, the output's chunk): 0 once {@link #trim} ran between messages. For tests and diagnostics.
     */
    public final long retainedBytes() {
        return connection.retainedBytes();
    }

    /**
     * Whether {@link #drainOutput} would hand anything over now: bytes, or the end of output. A driver
     * that keeps no output queue while there is nothing to write asks this before making one.
     */
    public final boolean hasOutput() {
        return connection.hasOutput();
    }

    /**
     * Whether we wait for the peer to finish closing: our close frame is sent (or queued) and the
     * connection is not yet closed. The driver starts its close timer when this turns true.
     */
    public final boolean closeExpected() {
        return connection.closeExpected();
    }

    /** The subprotocol agreed in the handshake, or empty. */
    public final String subprotocol() {
        return connection.subprotocol();
    }

    /** The extensions agreed in the handshake, in order; empty before. */
    public final List<ExtensionParameters> extensions() {
        return connection.extensions();
    }

    /**
     * Reports each data frame as a {@link ProtocolEvent.Fragment} from the next message on, instead of
     * assembling messages ({@link ProtocolEvent.TextMessage}, {@link ProtocolEvent.BinaryMessage}).
     * The checks stay; the message size limit becomes {@link ws.protocol.Limits#maxStreamedMessageSize()}
     * (a message is never held whole), and {@link ws.protocol.Limits#maxMessageSize()} bounds each
     * frame's inflated payload. Call it before the connection opens, so that no frame is read before.
     */
    public final void deliverFragments() {
        connection.deliverFragments();
    }

    /** Sends a whole text message. */
    public final void sendText(CharSequence text) {
        connection.sendText(text);
    }

    /**
     * Sends part of a text message; {@code last} ends it. A part may end in the middle of a character
     * (the next part completes it); the parts together must be valid text.
     */
    public final void sendText(CharSequence part, boolean last) {
        connection.sendText(part, last);
    }

    /**
     * Sends a whole binary message: the bytes from position to limit, which are consumed.
     *
     * <p>A server does not copy a large payload (16 KiB or more, when no extension transforms it):
     * {@link #dataToSend} then returns the frame header followed by a view of {@code data}'s bytes.
     * The caller must not change those bytes until that output has been written.
     */
    public final void sendBinary(ByteBuffer data) {
        connection.sendBinary(data);
    }

    /**
     * Sends part of a binary message; {@code last} ends it. The bytes from position to limit are
     * consumed, and, as for {@link #sendBinary(ByteBuffer)}, must not change until written.
     */
    public final void sendBinary(ByteBuffer part, boolean last) {
        connection.sendBinary(part, last);
    }

    /** Sends a message encoded once for many connections (broadcast). */
    public final void sendPrepared(PreparedMessage message) {
        connection.sendPrepared(message);
    }

    /** Sends a ping; the payload is at most 125 bytes. */
    public final void sendPing(ByteBuffer payload) {
        connection.sendPing(payload);
    }

    /** Sends an unsolicited pong; the payload is at most 125 bytes. */
    public final void sendPong(ByteBuffer payload) {
        connection.sendPong(payload);
    }

    /**
     * Starts the close handshake. The code must be sendable by this side (not 1005, 1006, 1015) and
     * the reason at most 123 UTF-8 bytes. Calling it again once closing is a no-op.
     */
    public final void sendClose(int code, String reason) {
        connection.sendClose(code, reason);
    }

    /**
     * Whether to hold the close frame that answers the peer (the echo of its close frame, or the close
     * that fails the connection after its protocol error) until {@link #releaseClose()}, so that the
     * application can still answer the messages that arrived just before (RFC 6455 section 5.5.1: the
     * echo is sent "as soon as practical", and may wait for a message being sent). Off by default: the
     * close frame is queued at once.
     *
     * <p>While a close is held the engine is {@link ProtocolState#CLOSE_RECEIVED}: no more input is
     * read, data and control frames may still be sent, and {@link ProtocolEvent.Closed} comes when
     * the close frame is queued: at {@link #releaseClose()}, at {@link #sendClose} (which answers a
     * peer's close with our own code instead of the echo), at {@link #fail} or at {@link #receiveEof()}.
     * A peer error still gives its {@link ProtocolEvent.Failed} at once. A driver that turns this on
     * calls {@code releaseClose()} (and writes {@link #dataToSend()}) each time it has handled the
     * events {@link #events()} returned; otherwise the peer waits for our close.
     */
    public final void holdClose(boolean hold) {
        connection.holdClose(hold);
    }

    /** Queues the held close frame, if one is held, which ends the connection; a no-op otherwise. */
    public final void releaseClose() {
        connection.releaseClose();
    }

    /**
     * Fails the connection (RFC 6455 section 7.1.7): queues a close frame with this code unless one
     * was sent, discards further input, and ends with {@link ProtocolEvent.Closed}. For errors on our
     * side (an exception in a handler: 1011) or a policy the driver enforces (1008). During the opening
     * handshake nothing is sent. A reason longer than a close frame allows is cut to 123 UTF-8 bytes
     * on the wire. No-op once closed.
     *
     * <p>To abandon a connection without any close frame (the socket failed, a timer gave up), call
     * {@link #receiveEof()} instead: it ends with 1006.
     *
     * @throws IllegalArgumentException when this side may not send {@code code} (1005, 1006, 1015, ...)
     */
    public abstract void fail(int code, String reason, Throwable cause);
}
