package ws.transport.blocking.layer;

import java.io.IOException;
import java.util.Objects;

/**
 * Thrown by {@link ClientLayer#open} when the connect must start over on a new TCP connection with
 * {@link #replacement()} in the layer's place: a proxy that asked for credentials ({@code 407}) and
 * closed the connection. The transport starts over once per connect; a second request fails it.
 */
public final class RetryConnectException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ClientLayer replacement;

    /** Start over with {@code replacement} instead of the layer that throws; {@code message} says why. */
    public RetryConnectException(String message, ClientLayer replacement) {
        super(message);
        this.replacement = Objects.requireNonNull(replacement, "replacement");
    }

    /** The layer to use instead, on the new connection. */
    public ClientLayer replacement() {
        return replacement;
    }
}
