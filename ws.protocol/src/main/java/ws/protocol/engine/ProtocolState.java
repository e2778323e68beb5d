package ws.protocol.engine;

/**
 * Where a connection is. Half-closed states are explicit: after our close frame is sent we may still
 * receive data ({@link #CLOSE_SENT}); after the peer's close is received we may not
 * ({@link #CLOSE_RECEIVED}, left at once by echoing it, unless the driver holds our close:
 * {@link Protocol#holdClose(boolean)}).
 */
public enum ProtocolState {
    /** The opening handshake is under way. */
    CONNECTING,
    /** Both directions are open. */
    OPEN,
    /** We sent a close frame and wait for the peer's. */
    CLOSE_SENT,
    /**
     * The peer sent a close frame (or broke the protocol) and our close frame is held: only while the
     * driver holds it ({@link Protocol#holdClose(boolean)}); we may still send until it is released.
     */
    CLOSE_RECEIVED,
    /** The close handshake is done, the connection failed, or the input ended: nothing more to do. */
    CLOSED
}
