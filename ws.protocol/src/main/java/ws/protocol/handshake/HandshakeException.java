package ws.protocol.handshake;

/**
 * An opening handshake that cannot go on. On the server it carries the HTTP status to answer with
 * (400, 403, 404, 405, 426, 431, ...); on the client, the status received (or 0 when the response was
 * not valid HTTP or not a valid WebSocket accept).
 */
public final class HandshakeException extends Exception {
    private final int status;

    /** A failure with a status (see {@link #status()}) and a message naming the rule broken and the value seen. */
    public HandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A failure with a status, a message naming the rule broken, and the exception that revealed it. */
    public HandshakeException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status to answer with (server side) or that was received (client side; 0 if none). */
    public int status() {
        return status;
    }
}
