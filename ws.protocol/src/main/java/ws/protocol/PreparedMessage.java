package ws.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A complete text or binary message encoded once, so that it can be sent to many connections
 * (broadcast) without encoding it again for each. A server sends the same unmasked frame bytes to
 * every connection that negotiated no extension; connections that must transform or mask it encode
 * it for themselves from {@link #payload()}. Immutable and thread-safe.
 */
public final class PreparedMessage {
    private final Opcode opcode;
    private final ByteBuffer payload;
    private volatile ByteBuffer serverFrame;

    private PreparedMessage(Opcode opcode, ByteBuffer payload) {
        this.opcode = opcode;
        this.payload = payload;
    }

    /** A text message. */
    public static PreparedMessage text(String text) {
        return new PreparedMessage(Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    /** A binary message; the bytes from position to limit are copied. */
    public static PreparedMessage binary(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        return new PreparedMessage(Opcode.BINARY, copy.asReadOnlyBuffer());
    }

    /** {@link Opcode#TEXT} or {@link Opcode#BINARY}. */
    public Opcode opcode() {
        return opcode;
    }

    /** The message's bytes (UTF-8 for text), read-only; each call returns an independent view. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /**
     * The whole message as one unmasked frame with FIN set and no RSV bits: what a server writes to a
     * connection with no extension. Built on first use, then shared; each call returns an
     * independent read-only view.
     */
    public ByteBuffer serverFrame() {
        ByteBuffer frame = serverFrame;
        if (frame == null) {
            frame = FrameWriter.encodeServerFrame(opcode, payload.duplicate()).asReadOnlyBuffer();
            serverFrame = frame;
        }
        return frame.duplicate();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PreparedMessage that && opcode == that.opcode && payload.equals(that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(opcode, payload);
    }

    @Override
    public String toString() {
        return "PreparedMessage[" + opcode + ", " + payload.remaining() + " bytes]";
    }
}
