package ws.protocol.engine;

import java.nio.ByteBuffer;

/**
 * Receives an engine's output, drained by {@link Protocol#drainOutput(OutputHandler)}: the bytes in
 * two lanes, and the end of output as a typed event (python-websockets' {@code SEND_EOF}), so that no
 * driver re-implements when to half-close.
 *
 * <p>Within a lane the order is the engine's and must be kept. The control lane (pings and pongs,
 * each a whole frame) may be written ahead of data not yet written, at a frame boundary: a pong need
 * not wait behind a 16 MiB message (RFC 6455 section 5.4 lets control frames be injected between the
 * fragments of a message). The close frame is in the data lane, after everything sent before it.
 */
public interface OutputHandler {

    /** A whole ping or pong frame: may go out ahead of queued data, at a frame boundary. */
    void control(ByteBuffer frame);

    /**
     * Bytes of the data lane (handshake, data frames, the close frame), in order.
     *
     * @param frameEnd whether a frame ends with these bytes, so a control frame may be written right
     *                 after them; engines mark only the ends worth splitting at (after large frames),
     *                 never a point inside a frame
     */
    void data(ByteBuffer bytes, boolean frameEnd);

    /**
     * The end of output: once everything drained before it is written, shut the transport's output
     * (TCP FIN). Comes exactly once, when the connection is closed at the protocol level; nothing is
     * drained after it.
     */
    void endOfOutput();
}
