package ws.protocol.api;

/**
 * What a send does when the connection's {@link WebSocket#bufferedAmount()} would exceed the
 * high-water mark (a slow or stalled peer).
 */
public enum BackpressurePolicy {
    /** The sending thread waits until the buffered amount falls below the mark (bounded by the close timeout). */
    WAIT,
    /** The send fails at once: its future completes exceptionally with {@link BackpressureException}; nothing is queued. */
    FAIL,
    /** The connection is closed with 1008 (policy violation): a peer that cannot keep up is dropped. */
    CLOSE
}
