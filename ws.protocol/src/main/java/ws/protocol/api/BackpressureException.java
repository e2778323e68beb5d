package ws.protocol.api;

/** A send refused because the connection's buffered amount would exceed its high-water mark. */
public final class BackpressureException extends RuntimeException {
    /** An exception with {@code message}, which says how much was buffered and what the mark is. */
    public BackpressureException(String message) {
        super(message);
    }
}
