package ws.events;

/**
 * Thrown by a middleware to refuse: a {@link ConnectionMiddleware} refuses the connection to the
 * namespace (the client gets CONNECT_ERROR {@code {"message":...,"data":...}}, its
 * {@code connect_error} event with {@code err.message} and {@code err.data}); an
 * {@link EventMiddleware} refuses one event (the socket's error listeners get it).
 */
public class RefusedException extends Exception {
    private final transient Object data;

    /** A refusal with a message only. */
    public RefusedException(String message) {
        this(message, null);
    }

    /** A refusal with details for the client ({@code err.data}), any value Jackson can write. */
    public RefusedException(String message, Object data) {
        super(message);
        this.data = data;
    }

    /** The details, or {@code null}. */
    public Object data() {
        return data;
    }
}
