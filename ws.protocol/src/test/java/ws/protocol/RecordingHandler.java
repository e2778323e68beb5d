package ws.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a {@link FrameReader.Handler} that unmasks and records whole frames. */
public final class RecordingHandler implements FrameReader.Handler {
    /** One frame as read. */
    public record Frame(boolean fin, int rsv, Opcode opcode, byte[] payload) {
        public String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public final List<Frame> frames = new ArrayList<>();
    private boolean fin;
    private int rsv;
    private Opcode opcode;
    private boolean masked;
    private int key;
    private long length;
    private ByteArrayOutputStream payload;

    @Override
    public void onFrameStart(boolean fin, int rsv, Opcode opcode, long payloadLength, boolean masked, int maskKey) {
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        this.masked = masked;
        this.key = maskKey;
        this.length = payloadLength;
        this.payload = new ByteArrayOutputStream();
    }

    @Override
    public void onPayload(ByteBuffer chunk, long frameOffset) {
        ByteBuffer plain = ByteBuffer.allocate(chunk.remaining());
        if (masked) {
            Masker.mask(chunk, plain, key, frameOffset);
        } else {
            plain.put(chunk);
        }
        payload.writeBytes(plain.array());
    }

    @Override
    public void onFrameEnd() {
        byte[] bytes = payload.toByteArray();
        if (bytes.length != length) {
            throw new AssertionError("payload " + bytes.length + " != announced " + length);
        }
        frames.add(new Frame(fin, rsv, opcode, bytes));
    }

    /** Feeds all of {@code bytes} to {@code reader}, whole or one byte at a time. */
    public static void feed(FrameReader reader, byte[] bytes, boolean oneByteAtATime) throws ProtocolViolationException {
        if (oneByteAtATime) {
            for (byte b : bytes) {
                reader.feed(ByteBuffer.wrap(new byte[] {b}));
            }
        } else {
            reader.feed(ByteBuffer.wrap(bytes));
        }
    }
}
