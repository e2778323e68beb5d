package ws.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A push parser for frames (RFC 6455 section 5.2): feed it bytes in pieces of any size, down to one
 * byte at a time, and it reports each frame's header, streams its payload, and reports its end.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>It reads the structure and enforces the rules that belong to framing, each as soon as the byte
 * that breaks it arrives, with close code 1002 unless said otherwise:
 * <ul>
 *   <li>the opcode is not reserved ({@code 0x3-0x7}, {@code 0xB-0xF});</li>
 *   <li>no RSV bit is set that no negotiated extension owns ({@code allowedRsv}), and none on a
 *       control frame (extensions never see control frames);</li>
 *   <li>a control frame is final and carries at most 125 bytes;</li>
 *   <li>frames from a client are masked, frames from a server are not (section 5.1);</li>
 *   <li>the payload length uses the shortest encoding, and a 64-bit length has its most
 *       significant bit clear;</li>
 *   <li>the payload is at most {@code maxFramePayload} bytes (1009), checked before any payload
 *       byte is read: the parser itself never allocates.</li>
 * </ul>
 * Rules about sequences of frames (continuations, close payloads, UTF-8) belong to its
 * {@link Handler}. After a violation the reader is failed and ignores further input.
 *
 * <p>Not thread-safe.
 */
public final class FrameReader {

    /**
     * Receives the frames of a {@link FrameReader}, in order: {@link #onFrameStart} once per frame,
     * then {@link #onPayload} zero or more times, then {@link #onFrameEnd}. Any method may throw a
     * {@link ProtocolViolationException} to reject the frame; the reader then fails.
     */
    public interface Handler {
        /**
         * A frame's header was read.
         *
         * @param fin           whether this frame ends its message
         * @param rsv           the RSV bits, as bits of the first byte ({@code 0x40} RSV1, {@code 0x20} RSV2, {@code 0x10} RSV3)
         * @param opcode        the opcode (never a reserved one)
         * @param payloadLength the payload length, within the limit
         * @param masked        whether the payload is masked
         * @param maskKey       the masking key when masked, else 0
         */
        void onFrameStart(boolean fin, int rsv, Opcode opcode, long payloadLength, boolean masked, int maskKey)
                throws ProtocolViolationException;

        /**
         * Some payload bytes of the current frame, as they are on the wire (still masked when the
         * frame is masked: {@link Masker#mask(ByteBuffer, ByteBuffer, int, long)} with
         * {@code frameOffset} unmasks them). {@code chunk} is a view of the input, from position to
         * limit, valid only during the call; the handler may consume it or not.
         *
         * @param frameOffset the offset of the chunk's first byte within the frame's payload
         */
        void onPayload(ByteBuffer chunk, long frameOffset) throws ProtocolViolationException;

        /** The current frame's payload is complete. */
        void onFrameEnd() throws ProtocolViolationException;
    }

    /** The first byte's FIN bit. */
    public static final int FIN = 0x80;
    /** The first byte's RSV bits. */
    public static final int RSV_MASK = 0x70;
    /** The first byte's opcode bits. */
    public static final int OPCODE_MASK = 0x0F;
    /** The second byte's MASK bit. */
    public static final int MASK = 0x80;
    /** The second byte's 7-bit payload length. */
    public static final int LENGTH_MASK = 0x7F;
    /** The largest control frame payload (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private static final int HEADER = 0;
    private static final int PAYLOAD = 1;
    private static final int FAILED = 2;
    private static final int HALTED = 3;

    private final Side side;
    private final int allowedRsv;
    private final int maxFramePayload;
    private final Handler handler;

    private int state = HEADER;
    private final byte[] header = new byte[14];
    private int headerRead;
    /** Where the payload length ends (2, 4 or 10), once byte 1 is known. */
    private int lengthEnd = 2;
    /** The whole header's size, once byte 1 is known. */
    private int headerSize = 2;

    private long payloadLength;
    private long payloadRead;

    /**
     * @param side            the side that reads: a {@link Side#SERVER} requires masked frames, a
     *                        {@link Side#CLIENT} unmasked ones
     * @param allowedRsv      the RSV bits negotiated extensions own (bits of the first byte), 0 for none
     * @param maxFramePayload the largest payload accepted (1009 above it)
     * @param handler         receives the frames
     */
    public FrameReader(Side side, int allowedRsv, int maxFramePayload, Handler handler) {
        this.side = Objects.requireNonNull(side, "side");
        if ((allowedRsv & ~RSV_MASK) != 0) {
            throw new IllegalArgumentException("allowedRsv 0x" + Integer.toHexString(allowedRsv) + " has bits outside RSV1-3 (0x70)");
        }
        if (maxFramePayload < MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("maxFramePayload " + maxFramePayload + " < 125");
        }
        this.allowedRsv = allowedRsv;
        this.maxFramePayload = maxFramePayload;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Consumes all of {@code in} (from position to limit), reporting frames to the handler as they
     * complete. After a violation, or after {@link #halt()}, the rest of the input is skipped.
     *
     * @throws ProtocolViolationException at the first violation, from the parser or the handler
     */
    public void feed(ByteBuffer in) throws ProtocolViolationException {
        try {
            while (in.hasRemaining() && state < FAILED) {
                if (state == HEADER) {
                    readHeader(in);
                } else {
                    readPayload(in);
                }
            }
        } catch (ProtocolViolationException | RuntimeException e) {
            state = FAILED;
            throw e;
        } finally {
            if (state >= FAILED) {
                in.position(in.limit());
            }
        }
    }

    /** Stops parsing: the rest of the current input and everything fed later are skipped (after a close frame, say). */
    public void halt() {
        if (state != FAILED) {
            state = HALTED;
        }
    }

    /** Whether the reader stands between two frames (no partial frame buffered): input may end here cleanly. */
    public boolean isBetweenFrames() {
        return state == HEADER && headerRead == 0 || state == HALTED;
    }

    /** Whether a violation stopped the reader. */
    public boolean isFailed() {
        return state == FAILED;
    }

    /**
     * Whether the reader waits for the next frame's first byte, nothing of a frame read and not stopped:
     * a new reader would go on exactly as this one, so a connection may drop it while idle.
     */
    public boolean isAwaitingFrame() {
        return state == HEADER && headerRead == 0;
    }

    private void readHeader(ByteBuffer in) throws ProtocolViolationException {
        if (headerRead == 0 && in.remaining() >= 2) {
            // the common case, a whole header in the buffer: taken in one read, checked in the same order
            int b1 = in.get(in.position() + 1);
            int length7 = b1 & LENGTH_MASK;
            int size = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((b1 & MASK) != 0 ? 4 : 0);
            if (in.remaining() >= size) {
                in.get(header, 0, size);
                headerRead = size;
                checkFirstByte(header[0] & 0xFF);
                checkSecondByte(header[1] & 0xFF);
                checkLength();
                startFrame();
                return;
            }
        }
        while (in.hasRemaining()) {
            // Read up to the next point where a check can run: byte 0, byte 1, the length, the key.
            int target = headerRead == 0 ? 1 : headerRead < 2 ? 2 : headerRead < lengthEnd ? lengthEnd : headerSize;
            int take = Math.min(target - headerRead, in.remaining());
            in.get(header, headerRead, take);
            headerRead += take;
            if (headerRead < target) {
                return;
            }
            if (target == 1) {
                checkFirstByte(header[0] & 0xFF);
            } else if (target == 2) {
                checkSecondByte(header[1] & 0xFF);
            }
            if (target == lengthEnd) {
                checkLength();
            }
            if (headerRead == headerSize) {
                startFrame();
                return;
            }
        }
    }

    private void checkFirstByte(int b0) throws ProtocolViolationException {
        int code = b0 & OPCODE_MASK;
        Opcode opcode = Opcode.ofCode(code);
        if (opcode == null) {
            throw violation("reserved opcode 0x" + Integer.toHexString(code));
        }
        int rsv = b0 & RSV_MASK;
        if (opcode.isControl()) {
            if ((b0 & FIN) == 0) {
                throw violation("control frame (" + opcode + ") not final: FIN 0");
            }
            if (rsv != 0) {
                throw violation("RSV bits 0x" + Integer.toHexString(rsv) + " on a control frame (" + opcode + ")");
            }
        } else if ((rsv & ~allowedRsv) != 0) {
            throw violation("RSV bits 0x" + Integer.toHexString(rsv & ~allowedRsv)
                    + " set, not owned by a negotiated extension (allowed 0x" + Integer.toHexString(allowedRsv) + ")");
        }
    }

    /** Checks the second byte and sets where the length and the whole header end. */
    private void checkSecondByte(int b1) throws ProtocolViolationException {
        boolean masked = (b1 & MASK) != 0;
        if (side == Side.SERVER && !masked) {
            throw violation("client frame not masked (MASK 0)");
        }
        if (side == Side.CLIENT && masked) {
            throw violation("server frame masked (MASK 1)");
        }
        int length7 = b1 & LENGTH_MASK;
        lengthEnd = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
        headerSize = lengthEnd + (masked ? 4 : 0);
    }

    /** Decodes and checks the payload length as soon as its last byte is in, before the masking key. */
    private void checkLength() throws ProtocolViolationException {
        int length7 = header[1] & LENGTH_MASK;
        long length;
        if (length7 == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            if (length < 126) {
                throw violation("payload length " + length + " in a 16-bit field (minimal encoding uses the 7-bit field)");
            }
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            if (length < 0) {
                throw violation("64-bit payload length has its most significant bit set (0x" + Long.toHexString(length) + ")");
            }
            if (length < 65536) {
                throw violation("payload length " + length + " in a 64-bit field (minimal encoding uses "
                        + (length < 126 ? "the 7-bit" : "a 16-bit") + " field)");
            }
        } else {
            length = length7;
        }
        if ((header[0] & 0x08) != 0 && length > MAX_CONTROL_PAYLOAD) {
            throw violation("control frame payload " + length + " > 125");
        }
        if (length > maxFramePayload) {
            throw new ProtocolViolationException(CloseCodes.MESSAGE_TOO_BIG,
                    "frame payload " + length + " > limit " + maxFramePayload);
        }
        payloadLength = length;
    }

    private void startFrame() throws ProtocolViolationException {
        int b0 = header[0] & 0xFF;
        boolean masked = headerSize > lengthEnd;
        int maskKey = 0;
        if (masked) {
            int at = lengthEnd;
            maskKey = ((header[at] & 0xFF) << 24) | ((header[at + 1] & 0xFF) << 16)
                    | ((header[at + 2] & 0xFF) << 8) | (header[at + 3] & 0xFF);
        }
        headerRead = 0;
        headerSize = 2;
        lengthEnd = 2;
        payloadRead = 0;
        state = PAYLOAD;
        long length = payloadLength;
        handler.onFrameStart((b0 & FIN) != 0, b0 & RSV_MASK, Opcode.ofCode(b0 & OPCODE_MASK), length, masked, maskKey);
        if (length == 0) {
            endFrame();
        }
    }

    private void readPayload(ByteBuffer in) throws ProtocolViolationException {
        int take = (int) Math.min(payloadLength - payloadRead, in.remaining());
        int start = in.position();
        int limit = in.limit();
        in.limit(start + take);
        try {
            handler.onPayload(in, payloadRead);
        } finally {
            in.limit(limit);
            in.position(start + take);
        }
        payloadRead += take;
        if (payloadRead == payloadLength) {
            endFrame();
        }
    }

    private void endFrame() throws ProtocolViolationException {
        if (state == PAYLOAD) {
            state = HEADER;
            handler.onFrameEnd();
        }
    }

    private static ProtocolViolationException violation(String message) {
        return new ProtocolViolationException(CloseCodes.PROTOCOL_ERROR, message);
    }
}
