package ws.protocol;

/**
 * Close status codes (RFC 6455 section 7.4, and the IANA registry) and the rules about which of them
 * may appear on the wire.
 */
public final class CloseCodes {
    public static final int NORMAL_CLOSURE = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Never sent: stands for "the close frame had no status code". */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Never sent: stands for "the connection ended without a close frame". */
    public static final int ABNORMAL_CLOSURE = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    public static final int SERVICE_RESTART = 1012;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int BAD_GATEWAY = 1014;
    /** Never sent: stands for "the TLS handshake failed". */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCodes() {
    }

    /**
     * Whether {@code code} may be carried by a close frame, in either direction: the defined codes
     * 1000-1003 and 1007-1014, and the application ranges 3000-4999. 1005, 1006 and 1015 never are.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /**
     * Whether an endpoint of the given side may send {@code code}. RFC 6455 does not restrict codes
     * by direction beyond {@link #isValidOnWire}, but 1010 (mandatory extension) is a client's
     * complaint about a server, and 1011 is a server's: the JDK client follows the same rule.
     */
    public static boolean isSendableBy(Side side, int code) {
        if (!isValidOnWire(code)) {
            return false;
        }
        return side == Side.CLIENT || code != MANDATORY_EXTENSION;
    }

    /** A short name for logs: "1000 normal closure", "4000 application". */
    public static String describe(int code) {
        return code + " " + switch (code) {
            case NORMAL_CLOSURE -> "normal closure";
            case GOING_AWAY -> "going away";
            case PROTOCOL_ERROR -> "protocol error";
            case UNSUPPORTED_DATA -> "unsupported data";
            case NO_STATUS_RECEIVED -> "no status received";
            case ABNORMAL_CLOSURE -> "abnormal closure";
            case INVALID_PAYLOAD -> "invalid payload data";
            case POLICY_VIOLATION -> "policy violation";
            case MESSAGE_TOO_BIG -> "message too big";
            case MANDATORY_EXTENSION -> "mandatory extension";
            case INTERNAL_ERROR -> "internal error";
            case SERVICE_RESTART -> "service restart";
            case TRY_AGAIN_LATER -> "try again later";
            case BAD_GATEWAY -> "bad gateway";
            case TLS_HANDSHAKE -> "TLS handshake failure";
            default -> code >= 3000 && code <= 4999 ? "application" : "unknown";
        };
    }
}
