package ws.protocol.api;

import java.util.Map;

/**
 * A snapshot of a server's counters since it started ({@link WebSocketServer#metrics()}); the same on
 * every transport. Counts are taken without a common lock, so a snapshot taken under load may be a
 * few events apart between fields (never negative, never going back from one snapshot to the next).
 *
 * @param openConnections     WebSocket connections open now (opening handshake done, not yet ended)
 * @param connectionsOpened   WebSocket connections that completed their opening handshake
 * @param connectionsClosed   of those, the ones that ended
 * @param messagesReceived    whole text and binary messages received
 * @param messagesSent        text and binary messages (or fragments sent as parts) accepted for sending,
 *                            counted before any of their bytes is written
 * @param bytesReceived       bytes read from WebSocket connections (frames and the opening handshake)
 * @param bytesSent           bytes written to WebSocket connections (frames and the opening handshake)
 * @param handshakeRejections refused upgrade requests, and requests the HTTP phase could not take
 *                            (malformed, too large), by the HTTP status answered (400, 403, 404, 431,
 *                            ...); a plain HTTP handler's own answers are not counted
 * @param protocolViolations  connections failed for what the peer sent, by the close code sent (1002,
 *                            1007, 1009, ...)
 * @param backpressureEvents  sends that found the buffered amount over the high-water mark, by the
 *                            policy applied
 */
public record ServerMetrics(long openConnections, long connectionsOpened, long connectionsClosed,
                            long messagesReceived, long messagesSent, long bytesReceived, long bytesSent,
                            Map<Integer, Long> handshakeRejections, Map<Integer, Long> protocolViolations,
                            Map<BackpressurePolicy, Long> backpressureEvents) {

    /** Copies the maps. */
    public ServerMetrics {
        handshakeRejections = Map.copyOf(handshakeRejections);
        protocolViolations = Map.copyOf(protocolViolations);
        backpressureEvents = Map.copyOf(backpressureEvents);
    }

    /** All refused requests, whatever the status. */
    public long handshakeRejectionCount() {
        return sum(handshakeRejections);
    }

    /** All protocol violations, whatever the close code. */
    public long protocolViolationCount() {
        return sum(protocolViolations);
    }

    /** All backpressure events, whatever the policy. */
    public long backpressureEventCount() {
        return sum(backpressureEvents);
    }

    private static long sum(Map<?, Long> counts) {
        long total = 0;
        for (long count : counts.values()) {
            total += count;
        }
        return total;
    }
}
