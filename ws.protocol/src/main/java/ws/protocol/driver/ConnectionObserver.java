package ws.protocol.driver;

import java.net.SocketAddress;
import ws.protocol.CloseStatus;
import ws.protocol.api.BackpressurePolicy;

/**
 * What a {@link ConnectionDriver} reports about its connection's life, for metrics and tracing: the
 * driver calls it on every transport, so a transport supplies one ({@link ConnectionHost#observer()})
 * and copies none of the bookkeeping. Implementations count ({@link ServerCounters}) or record JFR
 * events (ws.transport.stream's {@code JfrObserver}); {@link #both} combines two.
 *
 * <p>Calls come from the connection's threads, concurrently across connections, and must be cheap and
 * never block: the per-message ones ({@link #messageReceived}, {@link #messageSent},
 * {@link #bytesRead}, {@link #bytesWritten}) run once per message or read or write. Nothing thrown
 * here is caught: an observer does not throw.
 */
public interface ConnectionObserver {

    /** Observes nothing. */
    ConnectionObserver NONE = new ConnectionObserver() {
    };

    /** Who started the end of a connection. */
    enum Initiator {
        /** This side: the application's close, a timeout, a shutdown, or a failure it detected. */
        LOCAL,
        /** The peer's close frame came first. */
        REMOTE,
        /** No close handshake: the connection was lost or aborted. */
        NONE
    }

    /**
     * How a connection ended, with its traffic.
     *
     * @param status        the status reported to {@code onClose}
     * @param initiator     who started the end
     * @param durationNanos from the end of the opening handshake to the end
     * @param messagesIn    whole messages received
     * @param messagesOut   messages (or parts) sent
     * @param bytesIn       bytes read, opening handshake included
     * @param bytesOut      bytes written, opening handshake included
     */
    record Summary(CloseStatus status, Initiator initiator, long durationNanos, long messagesIn, long messagesOut,
                   long bytesIn, long bytesOut) {
    }

    /** The opening handshake of {@code connection} succeeded. */
    default void opened(ConnectionDriver connection) {
    }

    /** An opened connection ended ({@code onClose} follows). */
    default void closed(ConnectionDriver connection, Summary summary) {
    }

    /**
     * An opening handshake or an HTTP request was refused: by a server (its answer's {@code status}),
     * or, on a client, by the server it asked (the status it answered, 0 when the response was not a
     * valid HTTP response at all).
     *
     * @param remote the peer's address, or null
     * @param target the request target, or null when the request was not readable
     */
    default void handshakeRejected(SocketAddress remote, String target, int status, String reason) {
    }

    /** The peer broke the protocol: the connection fails with {@code status} (1002, 1007, 1009, ...). */
    default void protocolViolation(ConnectionDriver connection, CloseStatus status) {
    }

    /**
     * A send found {@code queued} bytes buffered and {@code size} more over the high-water mark, and
     * {@code policy} was applied.
     */
    default void backpressure(ConnectionDriver connection, BackpressurePolicy policy, long queued, long size,
                              long highWaterMark) {
    }

    /** A whole text or binary message was received. */
    default void messageReceived() {
    }

    /**
     * A message (or a part of one) was accepted for sending: called under the connection's lock, before
     * its bytes are queued, so it is counted before any of them can be written.
     */
    default void messageSent() {
    }

    /** {@code count} bytes were read from a connection. */
    default void bytesRead(long count) {
    }

    /** {@code count} bytes were written to a connection. */
    default void bytesWritten(long count) {
    }

    /** Reports to {@code first}, then to {@code second}. */
    static ConnectionObserver both(ConnectionObserver first, ConnectionObserver second) {
        java.util.Objects.requireNonNull(first, "first");
        java.util.Objects.requireNonNull(second, "second");
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new ConnectionObserver() {
            @Override
            public void opened(ConnectionDriver connection) {
                first.opened(connection);
                second.opened(connection);
            }

            @Override
            public void closed(ConnectionDriver connection, Summary summary) {
                first.closed(connection, summary);
                second.closed(connection, summary);
            }

            @Override
            public void handshakeRejected(SocketAddress remote, String target, int status, String reason) {
                first.handshakeRejected(remote, target, status, reason);
                second.handshakeRejected(remote, target, status, reason);
            }

            @Override
            public void protocolViolation(ConnectionDriver connection, CloseStatus status) {
                first.protocolViolation(connection, status);
                second.protocolViolation(connection, status);
            }

            @Override
            public void backpressure(ConnectionDriver connection, BackpressurePolicy policy, long queued, long size,
                                     long highWaterMark) {
                first.backpressure(connection, policy, queued, size, highWaterMark);
                second.backpressure(connection, policy, queued, size, highWaterMark);
            }

            @Override
            public void messageReceived() {
                first.messageReceived();
                second.messageReceived();
            }

            @Override
            public void messageSent() {
                first.messageSent();
                second.messageSent();
            }

            @Override
            public void bytesRead(long count) {
                first.bytesRead(count);
                second.bytesRead(count);
            }

            @Override
            public void bytesWritten(long count) {
                first.bytesWritten(count);
                second.bytesWritten(count);
            }
        };
    }
}
