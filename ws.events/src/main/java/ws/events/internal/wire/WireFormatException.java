package ws.events.internal.wire;

/**
 * A packet broke the Engine.IO or Socket.IO wire format, or one of the limits on received data. The
 * message names the rule and the value seen. The session that received it is closed ("parse error").
 */
public final class WireFormatException extends RuntimeException {

    /** A broken rule, with the value seen in the message. */
    public WireFormatException(String message) {
        super(message);
    }

    /** A broken rule found by a parser (the JSON reader, the Base64 decoder). */
    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
