package ws.conformance.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads raw frames from a stream, one at a time, exactly as sent: it validates nothing but the
 * length field (the caller judges the bits), and unmasks masked payloads.
 */
public final class FrameReader {
    private final InputStream in;
    private final long maxPayload;

    /** A reader of {@code in} that refuses payloads longer than {@code maxPayload}. */
    public FrameReader(InputStream in, long maxPayload) {
        this.in = in;
        this.maxPayload = maxPayload;
    }

    /**
     * The next frame.
     *
     * @throws EOFException when the stream ends cleanly before a frame starts
     * @throws IOException  on a read error, a stream that ends inside a frame, or a payload too long
     */
    public RawFrame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("end of stream");
        }
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        int rsv = (b0 >>> 4) & 7;
        int opcode = b0 & 0xF;
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7F;
        boolean minimal = true;
        if (length == 126) {
            length = (long) readByte() << 8 | readByte();
            minimal = length >= 126;
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte();
            }
            if (length < 0) {
                throw new IOException("64-bit payload length has its most significant bit set");
            }
            minimal = length > 0xFFFF;
        }
        if (length > maxPayload) {
            throw new IOException("frame payload " + length + " > " + maxPayload + " (the suite's own bound)");
        }
        byte[] key = null;
        if (masked) {
            key = new byte[4];
            readFully(key);
        }
        byte[] payload = new byte[(int) length];
        readFully(payload);
        if (key != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= key[i & 3];
            }
        }
        return new RawFrame(fin, rsv, opcode, key, payload, minimal);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }

    private void readFully(byte[] target) throws IOException {
        int off = 0;
        while (off < target.length) {
            int n = in.read(target, off, target.length - off);
            if (n < 0) {
                throw new EOFException("stream ended inside a frame (" + off + " of " + target.length + " bytes)");
            }
            off += n;
        }
    }
}
