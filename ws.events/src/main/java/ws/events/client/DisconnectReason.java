package ws.events.client;

/** Why a {@link ClientSocket} was disconnected, as the Socket.IO client names it. */
public enum DisconnectReason {
    /** The server disconnected the socket (a DISCONNECT packet): no automatic reconnection. */
    IO_SERVER_DISCONNECT("io server disconnect", false),
    /** This side called {@link ClientSocket#disconnect()} or {@link EventClient#close()}: no reconnection. */
    IO_CLIENT_DISCONNECT("io client disconnect", false),
    /** The server sent no ping within its ping interval plus ping timeout. */
    PING_TIMEOUT("ping timeout", true),
    /** The connection was closed (the server dropped it, or the network closed it). */
    TRANSPORT_CLOSE("transport close", true),
    /** The connection failed (a network or protocol error). */
    TRANSPORT_ERROR("transport error", true),
    /** The server sent a packet that is not valid Engine.IO or Socket.IO. */
    PARSE_ERROR("parse error", true);

    private final String wireName;
    private final boolean reconnects;

    DisconnectReason(String wireName, boolean reconnects) {
        this.wireName = wireName;
        this.reconnects = reconnects;
    }

    /** The reason as the JavaScript client reports it ({@code "transport close"}). */
    public String wireName() {
        return wireName;
    }

    /** Whether the client reconnects by itself after it (when reconnection is on). */
    public boolean reconnects() {
        return reconnects;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
