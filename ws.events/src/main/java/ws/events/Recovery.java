package ws.events;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery (socket.io 4.6): a socket whose connection was lost by accident (see
 * {@link DisconnectReason#recoverable()}) and that comes back within {@code maxDisconnectionDuration}
 * gets its id, its rooms, its data and every event broadcast to it meanwhile, in order, once each;
 * {@link EventSocket#recovered()} is then true, on the client too. Later, it starts afresh.
 *
 * @param maxDisconnectionDuration how long a session stays recoverable
 * @param skipMiddlewares          whether a recovered socket skips the connection middlewares
 */
public record Recovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
    /** Checks the components. */
    public Recovery {
        Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
        if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
            throw new IllegalArgumentException("maxDisconnectionDuration must be positive: " + maxDisconnectionDuration);
        }
    }

    /** socket.io's defaults: two minutes, middlewares skipped. */
    public static Recovery defaults() {
        return new Recovery(Duration.ofMinutes(2), true);
    }
}
