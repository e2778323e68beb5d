package ws.protocol;

import java.util.Objects;

/**
 * Why a connection closed: a close code, a reason, and, where the close was caused by an error on
 * either side, that error.
 *
 * @param code   the close code; {@link CloseCodes#NO_STATUS_RECEIVED} when the peer's close frame
 *               had none, {@link CloseCodes#ABNORMAL_CLOSURE} when the connection ended without a close frame
 * @param reason the reason text (at most 123 UTF-8 bytes on the wire), never null
 * @param cause  the error behind the close, or {@code null} for an orderly close
 */
public record CloseStatus(int code, String reason, Throwable cause) {
    /** Normal closure, no reason. */
    public static final CloseStatus NORMAL = new CloseStatus(CloseCodes.NORMAL_CLOSURE, "", null);
    /** Going away, no reason: what a server sends to every client when it shuts down. */
    public static final CloseStatus GOING_AWAY = new CloseStatus(CloseCodes.GOING_AWAY, "", null);

    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }

    public CloseStatus(int code, String reason) {
        this(code, reason, null);
    }

    /** Whether the close was orderly: a 1000 or 1001 exchanged without an error. */
    public boolean isNormal() {
        return cause == null && (code == CloseCodes.NORMAL_CLOSURE || code == CloseCodes.GOING_AWAY);
    }

    @Override
    public String toString() {
        return CloseCodes.describe(code) + (reason.isEmpty() ? "" : " \"" + reason + "\"")
                + (cause == null ? "" : " (" + cause + ")");
    }
}
