package ws.protocol;

import java.nio.ByteBuffer;

/** Writes frames (RFC 6455 section 5.2). */
public final class FrameWriter {
    private FrameWriter() {
    }

    /** One unmasked final frame with no RSV bits: {@code opcode} and the remaining bytes of {@code payload}. */
    public static ByteBuffer encodeServerFrame(Opcode opcode, ByteBuffer payload) {
        throw new UnsupportedOperationException("CONTRACT STUB: wire helper implements");
    }
}
