package ws.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import ws.protocol.CloseCodes;

/**
 * A frame as a {@link RawPeer} received it, exactly as it was on the wire: the FIN and RSV bits, the
 * opcode (reserved ones included), whether it was masked and with which key, and the payload
 * (unmasked). Nothing is validated: a test asserts on what the other side really sent.
 *
 * @param fin     the FIN bit
 * @param rsv     the three RSV bits as a number 0..7 (RSV1 = 4)
 * @param opcode  the opcode, 0..15
 * @param masked  whether the MASK bit was set
 * @param maskKey the masking key (0 when not masked)
 * @param payload the payload, unmasked; the array is the record's own (do not change it)
 */
public record Frame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, byte[] payload) {

    /** Opcode of a continuation frame. */
    public static final int CONTINUATION = 0x0;
    /** Opcode of a text frame. */
    public static final int TEXT = 0x1;
    /** Opcode of a binary frame. */
    public static final int BINARY = 0x2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 0x8;
    /** Opcode of a ping frame. */
    public static final int PING = 0x9;
    /** Opcode of a pong frame. */
    public static final int PONG = 0xA;

    /** Validates the ranges; the payload is kept as given. */
    public Frame {
        if (rsv < 0 || rsv > 7) {
            throw new IllegalArgumentException("rsv " + rsv + " not in 0..7");
        }
        if (opcode < 0 || opcode > 15) {
            throw new IllegalArgumentException("opcode " + opcode + " not in 0..15");
        }
        if (payload == null) {
            throw new NullPointerException("payload");
        }
    }

    /** Whether the opcode is a control opcode (8..15). */
    public boolean isControl() {
        return opcode >= 8;
    }

    /** The payload decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A close frame's status code; 1005 (no status) for an empty payload, -1 for a 1-byte payload. */
    public int closeCode() {
        requireClose();
        if (payload.length == 0) {
            return CloseCodes.NO_STATUS_RECEIVED;
        }
        if (payload.length == 1) {
            return -1;
        }
        return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** A close frame's reason (UTF-8 after the code), empty when there is none. */
    public String closeReason() {
        requireClose();
        return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }

    private void requireClose() {
        if (opcode != CLOSE) {
            throw new IllegalStateException("not a close frame: " + this);
        }
    }

    /** A name for an opcode: TEXT, PING, ..., or {@code RESERVED(0x3)}. */
    public static String opcodeName(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "CONTINUATION";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "RESERVED(0x" + Integer.toHexString(opcode) + ")";
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame f && f.fin == fin && f.rsv == rsv && f.opcode == opcode && f.masked == masked
                && f.maskKey == maskKey && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((Boolean.hashCode(fin) * 31 + rsv) * 31 + opcode) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(opcodeName(opcode));
        if (!fin) {
            s.append(" !fin");
        }
        if (rsv != 0) {
            s.append(" rsv=").append(rsv);
        }
        if (masked) {
            s.append(" masked(").append(Integer.toHexString(maskKey)).append(')');
        }
        s.append(' ').append(payload.length).append("B");
        if (opcode == CLOSE && payload.length >= 2) {
            s.append(" code=").append(closeCode());
            if (payload.length > 2) {
                s.append(" \"").append(closeReason()).append('"');
            }
        } else if (opcode == TEXT || (opcode == CONTINUATION && payload.length > 0 && payload.length <= 64)) {
            s.append(" \"").append(payload.length > 64 ? text().substring(0, Math.min(64, text().length())) + "..." : text())
                    .append('"');
        } else if (payload.length > 0) {
            s.append(' ').append(HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 32)));
            if (payload.length > 32) {
                s.append("...");
            }
        }
        return s.toString();
    }
}
