package ws.protocol.internal.deflate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import ws.protocol.CloseCodes;
import ws.protocol.Opcode;
import ws.protocol.Side;
import ws.protocol.extension.Extension;
import ws.protocol.extension.ExtensionException;
import ws.protocol.extension.ExtensionParameters;

/**
 * One connection's permessage-deflate (RFC 7692 section 7.2): compresses outgoing messages and
 * inflates incoming ones, frame by frame.
 *
 * <p>Sending: the first frame of a compressed message carries RSV1; every frame's output ends with
 * a sync flush, and the final frame's trailing {@code 00 00 ff ff} is removed (section 7.2.1). Our
 * compressor is {@link Deflater} (native zlib, 32 KiB window) when the agreed window is 15 bits,
 * and {@link WindowedDeflater} when the peer limited it to fewer: then no back-reference reaches
 * further than the agreed window, within and across messages.
 *
 * <p>Receiving: only messages whose first frame had RSV1 are inflated; {@code 00 00 ff ff} is
 * appended at the end of the message (section 7.2.2). Output is produced into buffers that never
 * grow past the caller's {@code maxOutput}: one byte more gives 1009 at once, so a small frame that
 * inflates to gigabytes costs at most the limit. Corrupt data gives 1007. The inflater always has a
 * 32 KiB window, so any window the peer uses (including a zlib peer that turns 8 bits into 9) decodes.
 *
 * <p>The Deflater and Inflater are made on first use, kept across messages and ended by
 * {@link #close()}. Not thread-safe: the engine calls it under the connection's lock.
 */
public final class PerMessageDeflateExtension implements Extension {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int SCRATCH_KEEP = 16 * 1024;

    private final Side side;
    private final Agreement agreement;
    private final ExtensionParameters parameters;
    private final int level;
    private final int threshold;
    private final int ourWindowBits;
    private final boolean ourNoContextTakeover;
    private final boolean peerNoContextTakeover;

    private Deflater deflater;
    private WindowedDeflater windowed;
    private byte[] scratch;
    private Inflater inflater;
    private final byte[] probe = new byte[1];
    private long peakInflateBuffer;

    private boolean sending;
    private boolean sendingCompressed;
    private boolean closed;

    PerMessageDeflateExtension(Side side, Agreement agreement, ExtensionParameters parameters, DeflateSettings settings) {
        this.side = side;
        this.agreement = agreement;
        this.parameters = parameters;
        this.level = settings.level();
        this.threshold = settings.threshold();
        if (side == Side.SERVER) {
            ourWindowBits = agreement.serverMaxWindowBits();
            ourNoContextTakeover = agreement.serverNoContextTakeover();
            peerNoContextTakeover = agreement.clientNoContextTakeover();
        } else {
            ourWindowBits = agreement.clientMaxWindowBits();
            ourNoContextTakeover = agreement.clientNoContextTakeover();
            peerNoContextTakeover = agreement.serverNoContextTakeover();
        }
    }

    @Override
    public ExtensionParameters parameters() {
        return parameters;
    }

    @Override
    public int rsvBits() {
        return RSV1;
    }

    /** The agreed parameters. */
    public Agreement agreement() {
        return agreement;
    }

    /** Which side of the connection this extension runs on. */
    public Side side() {
        return side;
    }

    /** Whether a Deflater, windowed encoder or Inflater has been made (they are made on first use). */
    public boolean hasCodecState() {
        return deflater != null || windowed != null || inflater != null;
    }

    /** The largest output buffer decode has allocated for one frame (for tests of the size limit). */
    public long peakInflateBuffer() {
        return peakInflateBuffer;
    }

    /** The window our compressor keeps within, in bits. */
    public int compressorWindowBits() {
        return ourWindowBits;
    }

    /** Whether our compressor is the pure-Java windowed encoder (the agreed window is below 15 bits). */
    public boolean usesWindowedEncoder() {
        return ourWindowBits < 15;
    }

    @Override
    public EncodedFrame encode(Opcode opcode, ByteBuffer payload, boolean first, boolean fin, boolean transform) {
        ensureOpen();
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
            throw new IllegalArgumentException("permessage-deflate encodes data frames of a TEXT or BINARY message, got "
                    + opcode);
        }
        if (first == sending) {
            throw new IllegalStateException(first ? "a message is already being sent: its final frame is missing"
                    : "no message is being sent: the first frame is missing");
        }
        if (first) {
            // A single-frame message below the threshold is not worth compressing (RFC 7692 section 6:
            // compression is per message, RSV1 says which).
            sendingCompressed = transform && !(fin && payload.remaining() < threshold);
        }
        sending = !fin;
        if (!sendingCompressed) {
            return new EncodedFrame(payload, 0);
        }
        byte[] out = ourWindowBits < 15 ? windowed().deflate(payload, fin) : deflateNative(payload, fin);
        if (fin && ourNoContextTakeover) {
            resetCompressor();
        }
        return new EncodedFrame(ByteBuffer.wrap(out), first ? RSV1 : 0);
    }

    private WindowedDeflater windowed() {
        if (windowed == null) {
            windowed = new WindowedDeflater(ourWindowBits, level);
        }
        return windowed;
    }

    private byte[] deflateNative(ByteBuffer payload, boolean fin) {
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        if (scratch == null) {
            scratch = new byte[1024];
        }
        deflater.setInput(payload.duplicate());
        int length = 0;
        while (true) {
            int n = deflater.deflate(scratch, length, scratch.length - length, Deflater.SYNC_FLUSH);
            length += n;
            if (length < scratch.length) {
                break;
            }
            scratch = Arrays.copyOf(scratch, scratch.length * 2);
        }
        deflater.setInput(TAIL, 0, 0); // drop the reference to the caller's buffer
        byte[] out;
        if (fin) {
            if (length >= 4 && scratch[length - 4] == 0 && scratch[length - 3] == 0
                    && scratch[length - 2] == (byte) 0xff && scratch[length - 1] == (byte) 0xff) {
                out = Arrays.copyOf(scratch, length - 4);
            } else if (length == 0) {
                // Nothing new since the last sync flush (an empty final fragment): the receiver appends
                // 00 00 ff ff, so send the header byte of an empty stored block for it to complete
                // (RFC 7692 section 7.2.3.6).
                out = new byte[] {0};
            } else {
                throw new IllegalStateException("deflater output does not end with a sync flush");
            }
        } else {
            out = Arrays.copyOf(scratch, length);
        }
        if (scratch.length > SCRATCH_KEEP) {
            scratch = null;
        }
        return out;
    }

    private void resetCompressor() {
        if (deflater != null) {
            deflater.reset();
        }
        if (windowed != null) {
            windowed.reset();
        }
    }

    @Override
    public ByteBuffer decode(int messageRsv, ByteBuffer payload, boolean fin, long maxOutput) throws ExtensionException {
        ensureOpen();
        if ((messageRsv & RSV1) == 0) {
            if (payload.remaining() > maxOutput) {
                throw new ExtensionException(CloseCodes.MESSAGE_TOO_BIG, "message size limit exceeded: frame of "
                        + payload.remaining() + " bytes > " + maxOutput + " bytes left");
            }
            return payload;
        }
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        Output output = new Output(maxOutput, payload.remaining());
        try {
            inflate(payload, output);
            if (fin) {
                inflate(ByteBuffer.wrap(TAIL), output);
            }
        } catch (DataFormatException e) {
            inflater.reset();
            throw new ExtensionException(CloseCodes.INVALID_PAYLOAD, "permessage-deflate: corrupt compressed data: "
                    + e.getMessage(), e);
        } catch (ExtensionException e) {
            peakInflateBuffer = Math.max(peakInflateBuffer, output.buffer.length);
            inflater.reset();
            throw e;
        } finally {
            inflater.setInput(TAIL, 0, 0); // drop the reference to the caller's buffer
        }
        if (fin && (peerNoContextTakeover || inflater.finished())) {
            // A peer that ended its stream with BFINAL (section 7.2.3.4) starts a new one next time.
            inflater.reset();
        }
        peakInflateBuffer = Math.max(peakInflateBuffer, output.buffer.length);
        return output.result();
    }

    private void inflate(ByteBuffer input, Output output) throws DataFormatException, ExtensionException {
        if (inflater.finished()) {
            return; // after a final block, the rest of the message is ignored
        }
        inflater.setInput(input);
        while (true) {
            if (output.full()) {
                if (output.atLimit()) {
                    probeLimit(output);
                    return;
                }
                output.grow();
            }
            long readBefore = inflater.getBytesRead();
            int n = inflater.inflate(output.buffer, output.length, output.buffer.length - output.length);
            output.length += n;
            if (n == 0) {
                if (inflater.needsDictionary()) {
                    throw new DataFormatException("a raw deflate stream never asks for a dictionary");
                }
                if (inflater.finished() || inflater.needsInput() || inflater.getBytesRead() == readBefore) {
                    return;
                }
            }
        }
    }

    /** At the size limit: one more byte of output means the message is too big. */
    private void probeLimit(Output output) throws DataFormatException, ExtensionException {
        while (true) {
            long readBefore = inflater.getBytesRead();
            if (inflater.inflate(probe, 0, 1) > 0) {
                throw new ExtensionException(CloseCodes.MESSAGE_TOO_BIG, "message size limit exceeded: "
                        + "inflated message > " + output.limitDescription());
            }
            if (inflater.needsDictionary()) {
                throw new DataFormatException("a raw deflate stream never asks for a dictionary");
            }
            if (inflater.finished() || inflater.needsInput() || inflater.getBytesRead() == readBefore) {
                return;
            }
        }
    }

    /** A growable output bounded by the message's size limit. */
    private static final class Output {
        final long limit;
        final int cap;
        byte[] buffer;
        int length;

        Output(long maxOutput, int inputLength) {
            this.limit = maxOutput;
            this.cap = (int) Math.min(Math.max(0, maxOutput), MAX_ARRAY);
            long initial = Math.min(cap, Math.max(256L, 4L * inputLength));
            this.buffer = new byte[(int) initial];
        }

        boolean full() {
            return length == buffer.length;
        }

        boolean atLimit() {
            return buffer.length >= cap;
        }

        void grow() {
            buffer = Arrays.copyOf(buffer, (int) Math.min(cap, Math.max(256L, 2L * buffer.length)));
        }

        String limitDescription() {
            return limit + " bytes left";
        }

        ByteBuffer result() {
            return ByteBuffer.wrap(buffer, 0, length).slice();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        windowed = null;
        scratch = null;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("permessage-deflate extension is closed");
        }
    }

    @Override
    public String toString() {
        return "PerMessageDeflateExtension[" + side + ", " + parameters.format() + ", compressor window "
                + ourWindowBits + (ourWindowBits < 15 ? " (windowed encoder)" : " (zlib)") + "]";
    }
}
