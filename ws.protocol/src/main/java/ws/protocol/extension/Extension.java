package ws.protocol.extension;

import java.nio.ByteBuffer;
import ws.protocol.Opcode;

/**
 * One connection's negotiated extension. It owns some RSV bits and transforms the payload of data
 * frames, one frame at a time, in message order; control frames never pass through it.
 *
 * <p>Not thread-safe: the engine calls it under the connection's lock. {@link #close()} releases
 * whatever it holds (for permessage-deflate, the native memory of the Deflater and Inflater).
 */
public interface Extension extends AutoCloseable {

    /** RSV1: the bit permessage-deflate owns. */
    int RSV1 = 0x40;
    /** RSV2. */
    int RSV2 = 0x20;
    /** RSV3. */
    int RSV3 = 0x10;

    /** The agreed parameters, as the server's response states them. */
    ExtensionParameters parameters();

    /** The RSV bits this extension owns, as bits of the frame's first byte ({@link #RSV1} etc.). */
    int rsvBits();

    /**
     * Transforms the payload of one outgoing data frame.
     *
     * @param opcode   {@link Opcode#TEXT} or {@link Opcode#BINARY} for the message this frame belongs to
     * @param payload  the application bytes of this frame; read from position to limit
     * @param first    whether this frame starts its message
     * @param fin      whether this frame ends its message
     * @param transform false when this message must pass unchanged (the application opted out, or the
     *                  engine knows the whole message is below the extension's threshold); only
     *                  meaningful on the first frame, and then binding for the whole message
     * @return the frame to write: its payload and the RSV bits to set (a subset of {@link #rsvBits()})
     */
    EncodedFrame encode(Opcode opcode, ByteBuffer payload, boolean first, boolean fin, boolean transform);

    /**
     * Decodes the payload of one incoming data frame.
     *
     * @param messageRsv the RSV bits of the first frame of this message (they say whether the whole
     *                   message is transformed; later frames carry none)
     * @param payload    the frame's payload (unmasked)
     * @param fin        whether this frame ends its message
     * @param maxOutput  the most bytes this call may produce before the message breaks its size limit;
     *                   the extension must stop and throw (1009) rather than produce or buffer more
     * @return the decoded bytes of this frame (possibly empty, possibly {@code payload} itself)
     * @throws ExtensionException with the close code to fail the connection with
     */
    ByteBuffer decode(int messageRsv, ByteBuffer payload, boolean fin, long maxOutput) throws ExtensionException;

    /** Releases what the extension holds. Idempotent. */
    @Override
    void close();

    /**
     * One outgoing frame after encoding.
     *
     * @param payload the bytes to put in the frame
     * @param rsv     the RSV bits to set on it
     */
    record EncodedFrame(ByteBuffer payload, int rsv) {
    }
}
