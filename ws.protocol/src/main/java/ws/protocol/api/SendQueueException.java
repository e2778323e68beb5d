package ws.protocol.api;

import java.io.IOException;
import java.util.Objects;

/**
 * A send of a {@link ReconnectingWebSocket} that was not written: while it was down the queue was
 * full or absent, or the message was dropped from it, or the client closed or gave up with it still
 * queued. What happened is {@link #reason()}. A send future fails with it; nothing is thrown.
 */
public final class SendQueueException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the message was not written. */
    public enum Reason {
        /** Down, and the queue already held its maximum of messages or bytes ({@link Reconnect.Overflow#FAIL_NEW}). */
        QUEUE_FULL,
        /** Queued, then dropped as the oldest to make room for a newer one ({@link Reconnect.Overflow#DROP_OLDEST}). */
        DROPPED,
        /**
         * Not a message that can wait: down with no queue ({@link Reconnect#withoutQueue()}), a ping or
         * pong while down, or a part of a message whose first parts went on a connection that ended.
         */
        NOT_CONNECTED,
        /** Queued when the client stopped for good: closed by the application, or it gave up reconnecting. */
        CLOSED
    }

    private final Reason reason;

    /**
     * @param reason  why
     * @param message says what, with the bounds or the state that decided it
     */
    public SendQueueException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the message was not written. */
    public Reason reason() {
        return reason;
    }
}
