package ws.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payload of a close frame (RFC 6455 section 5.5.1): empty, or a 2-byte status code followed by
 * a UTF-8 reason, at most 125 bytes in all.
 */
public final class CloseFrames {
    /** The longest reason that fits in a close frame: 125 - 2 bytes. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseFrames() {
    }

    /**
     * Reads a received close frame's payload (position to limit; not consumed).
     * <ul>
     *   <li>empty: status {@link CloseCodes#NO_STATUS_RECEIVED} (1005), no reason;</li>
     *   <li>one byte: 1002 (a code needs two);</li>
     *   <li>a code that may not appear on the wire ({@link CloseCodes#isValidOnWire}): 1002;</li>
     *   <li>a reason that is not valid UTF-8: 1007.</li>
     * </ul>
     *
     * @throws ProtocolViolationException carrying the close code to fail with
     */
    public static CloseStatus parse(ByteBuffer payload) throws ProtocolViolationException {
        int length = payload.remaining();
        if (length == 0) {
            return new CloseStatus(CloseCodes.NO_STATUS_RECEIVED, "");
        }
        if (length == 1) {
            throw new ProtocolViolationException(CloseCodes.PROTOCOL_ERROR,
                    "close frame payload of 1 byte (a status code needs 2)");
        }
        int p = payload.position();
        int code = ((payload.get(p) & 0xFF) << 8) | (payload.get(p + 1) & 0xFF);
        if (!CloseCodes.isValidOnWire(code)) {
            throw new ProtocolViolationException(CloseCodes.PROTOCOL_ERROR,
                    "close code " + code + " may not be sent on the wire");
        }
        ByteBuffer reason = payload.duplicate().position(p + 2);
        Utf8Validator validator = new Utf8Validator();
        int bad = validator.feed(reason);
        if (bad >= 0 || !validator.isComplete()) {
            throw new ProtocolViolationException(CloseCodes.INVALID_PAYLOAD,
                    "close reason is not valid UTF-8" + (bad >= 0 ? " (byte " + bad + ")" : " (truncated sequence at the end)"));
        }
        return new CloseStatus(code, StandardCharsets.UTF_8.decode(reason).toString());
    }

    /**
     * The payload of a close frame that {@code side} may send: the code and the reason's UTF-8 bytes.
     *
     * @throws IllegalArgumentException when the code is not {@link CloseCodes#isSendableBy sendable}
     *                                  by {@code side}, or the reason is longer than 123 UTF-8 bytes or
     *                                  is not valid text (an unpaired surrogate)
     */
    public static byte[] payload(Side side, int code, String reason) {
        if (!CloseCodes.isSendableBy(side, code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent by a " + side.name().toLowerCase(java.util.Locale.ROOT));
        }
        byte[] text = utf8(reason);
        if (text.length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason of " + text.length + " UTF-8 bytes > " + MAX_REASON_BYTES);
        }
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return payload;
    }

    /**
     * {@code reason} cut to at most {@code maxBytes} UTF-8 bytes, never in the middle of a character:
     * for reasons we make up ourselves (a failure's message), which must fit in a close frame.
     */
    public static String truncate(String reason, int maxBytes) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return reason;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** UTF-8 of a string, rejecting unpaired surrogates (which {@link String#getBytes} would replace silently). */
    static byte[] utf8(CharSequence text) {
        String string = text.toString();
        int bad = unpairedSurrogate(string);
        if (bad >= 0) {
            throw new IllegalArgumentException("text has an unpaired surrogate 0x"
                    + Integer.toHexString(string.charAt(bad)) + " at index " + bad);
        }
        return string.getBytes(StandardCharsets.UTF_8);
    }

    /** The index of the first unpaired surrogate of {@code s}, or -1. */
    static int unpairedSurrogate(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
