package ws.events;

/** Why a socket left its namespace: the reasons socket.io names, with their wire names. */
public enum DisconnectReason {
    /** The server disconnected the socket ({@link EventSocket#disconnect}). */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The client disconnected the socket ({@code socket.disconnect()}). */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The client did not answer a ping within the ping timeout. */
    PING_TIMEOUT("ping timeout"),
    /** The connection was closed (the user left the page, the network went away cleanly). */
    TRANSPORT_CLOSE("transport close"),
    /** The connection failed. */
    TRANSPORT_ERROR("transport error"),
    /** The client sent a packet that breaks the protocol or a limit. */
    PARSE_ERROR("parse error"),
    /** The server closed the whole connection (the connect timeout, a slow consumer). */
    FORCED_CLOSE("forced close"),
    /** The connection was closed by the server with {@link EventSocket#disconnect(boolean) disconnect(true)}. */
    FORCED_SERVER_CLOSE("forced server close");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name socket.io uses ({@code "transport close"}). */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether a socket that left for this reason may recover its state on reconnection: an accident of
     * the connection, not a decision of either side.
     */
    public boolean recoverable() {
        return switch (this) {
            case TRANSPORT_CLOSE, TRANSPORT_ERROR, PING_TIMEOUT, FORCED_CLOSE, SERVER_SHUTTING_DOWN, FORCED_SERVER_CLOSE -> true;
            default -> false;
        };
    }

    /** The reason of a wire name; unknown names count as a transport error. */
    public static DisconnectReason ofWireName(String name) {
        for (DisconnectReason reason : values()) {
            if (reason.wireName.equals(name)) {
                return reason;
            }
        }
        return TRANSPORT_ERROR;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
