package ws.protocol;

/**
 * The peer broke a rule of the protocol: carries the close code the RFC names for it (1002 protocol
 * error, 1007 invalid payload data, 1009 message too big) and a message naming the rule and the value
 * seen ("control frame payload 126 > 125").
 */
public final class ProtocolViolationException extends Exception {
    private final int closeCode;

    /**
     * @param closeCode the close code to fail the connection with
     * @param message   the rule broken and the value seen
     */
    public ProtocolViolationException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /**
     * @param closeCode the close code to fail the connection with
     * @param message   the rule broken and the value seen
     * @param cause     the underlying error
     */
    public ProtocolViolationException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** The close code to fail the connection with. */
    public int closeCode() {
        return closeCode;
    }
}
