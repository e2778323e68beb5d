package ws.conformance.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The suite's side of permessage-deflate (RFC 7692 section 7.2), on {@code java.util.zip} alone:
 * compressing the messages it sends as the agreement allows, and decompressing and checking the
 * messages the peer sends.
 *
 * <p>Windows: {@link Deflater} always uses a 32 KiB window. When the suite's own compressor was
 * granted fewer than 15 bits, it compresses with {@link Deflater#HUFFMAN_ONLY}: no back-references
 * at all, which is valid under any window. The peer's messages are checked by {@link DeflateWalker}
 * whenever its window is below 15 bits (at 15 bits {@link Inflater} itself refuses a distance past
 * 32 KiB), and with no context takeover each message is inflated from a fresh state, so a reference
 * to an earlier message fails.
 *
 * <p>Not thread-safe: the suite compresses on one thread at a time and inflates on the reader thread.
 */
public final class MessageDeflate {
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final boolean ourNoContextTakeover;
    private final boolean peerNoContextTakeover;
    private final int peerWindowBits;
    private final Deflater deflater;
    private final Inflater inflater = new Inflater(true);
    private final byte[] buffer = new byte[64 << 10];
    /** Bytes the peer's stream has produced since its last reset: how far back it may refer. */
    private long peerHistory;
    private int largestPeerDistance;

    /**
     * The suite's side of an agreement.
     *
     * @param agreement   what was negotiated
     * @param weAreServer which side the suite is
     */
    public MessageDeflate(Pmd.Agreement agreement, boolean weAreServer) {
        this.ourNoContextTakeover = agreement.noContextTakeover(weAreServer);
        this.peerNoContextTakeover = agreement.noContextTakeover(!weAreServer);
        this.peerWindowBits = agreement.windowBits(!weAreServer);
        this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        if (agreement.windowBits(weAreServer) < 15) {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        }
    }

    /** One message compressed: a sync flush at its end, and its {@code 00 00 ff ff} removed (section 7.2.1). */
    public byte[] compress(byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        while (true) {
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
            if (n < buffer.length && deflater.needsInput()) {
                break;
            }
        }
        if (ourNoContextTakeover) {
            deflater.reset();
        }
        byte[] all = out.toByteArray();
        if (all.length < 4 || !Arrays.equals(all, all.length - 4, all.length, TAIL, 0, 4)) {
            throw new IllegalStateException("a sync flush did not end in 00 00 ff ff");
        }
        return Arrays.copyOf(all, all.length - 4);
    }

    /**
     * One compressed message from the peer, decompressed (section 7.2.2), after checking its window
     * and context use.
     *
     * @param max the largest message accepted
     * @throws DeflateWalker.DeflateException when the data is corrupt, refers outside the window or
     *                                        the allowed history, or inflates past {@code max}
     */
    public byte[] decompress(byte[] payload, long max) throws DeflateWalker.DeflateException {
        byte[] data = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(TAIL, 0, data, payload.length, 4);
        if (peerNoContextTakeover) {
            inflater.reset();
            peerHistory = 0;
        }
        boolean finalBlock = false;
        if (peerWindowBits < 15) {
            DeflateWalker.Result walked = DeflateWalker.walk(data, data.length, peerWindowBits, peerHistory);
            largestPeerDistance = Math.max(largestPeerDistance, walked.maxDistance());
            finalBlock = walked.finalBlock();
        }
        inflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, payload.length * 3));
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        break;
                    }
                }
                out.write(buffer, 0, n);
                if (out.size() > max) {
                    throw new DeflateWalker.DeflateException("the message inflates past the suite's bound " + max);
                }
            }
        } catch (DataFormatException e) {
            throw new DeflateWalker.DeflateException("corrupt DEFLATE data: " + e.getMessage());
        }
        if (inflater.finished() || finalBlock) {
            // a final block ends the stream: the next message starts a new one (section 7.2.3.4)
            inflater.reset();
            peerHistory = 0;
        } else {
            peerHistory += out.size();
        }
        return out.toByteArray();
    }

    /** The largest distance seen in the peer's walked messages (0 when none were walked). */
    public int largestPeerDistance() {
        return largestPeerDistance;
    }

    /** The window the peer's compressor agreed to. */
    public int peerWindowBits() {
        return peerWindowBits;
    }

    /** Frees the native state. */
    public void close() {
        deflater.end();
        inflater.end();
    }
}
