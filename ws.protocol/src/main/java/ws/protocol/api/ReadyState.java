package ws.protocol.api;

/** The states of a connection, as the browser API names them. */
public enum ReadyState {
    /** The opening handshake is under way. */
    CONNECTING,
    /** Messages flow both ways. */
    OPEN,
    /** A close frame was sent or received; the close handshake is under way. */
    CLOSING,
    /** The connection is over. */
    CLOSED
}
