package ws.protocol.api;

/** A send refused because the connection's buffered amount would exceed its high-water mark. */
public final class BackpressureException extends RuntimeException {
    public BackpressureException(String message) {
        super(message);
    }
}
