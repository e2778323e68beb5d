package ws.events.client;

/**
 * What an emit does when the socket's send buffer (the emits waiting for a connection) is full.
 * Either way the emit that is not kept fails its future with a {@link SendBufferFullException}, and
 * so does its acknowledgement.
 */
public enum OverflowPolicy {
    /** The oldest waiting emit is dropped to make room: the latest state wins (positions, presence). */
    DROP_OLDEST,
    /** The new emit is refused: what was emitted first is sent first, nothing is reordered or lost silently. */
    REJECT_NEW
}
