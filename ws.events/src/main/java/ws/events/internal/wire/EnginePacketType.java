package ws.events.internal.wire;

/** The Engine.IO v4 packet types; the wire form of each is its digit. */
public enum EnginePacketType {
    /** Sent by the server on a new session: the handshake JSON. */
    OPEN,
    /** Ends the session (polling only; a WebSocket simply closes). */
    CLOSE,
    /** The server's heartbeat, or the client's upgrade probe (data {@code "probe"}). */
    PING,
    /** The answer to a ping. */
    PONG,
    /** Application data: text or binary. */
    MESSAGE,
    /** The client's last step of the upgrade to WebSocket. */
    UPGRADE,
    /** Nothing: ends a held long-poll during the upgrade. */
    NOOP;

    private static final EnginePacketType[] BY_DIGIT = values();

    /** The wire digit. */
    public char digit() {
        return (char) ('0' + ordinal());
    }

    /** The type of a wire digit. */
    public static EnginePacketType ofDigit(char digit) {
        int index = digit - '0';
        if (index < 0 || index >= BY_DIGIT.length) {
            throw new WireFormatException("Engine.IO packet type must be a digit 0-6, got '" + printable(digit) + "'");
        }
        return BY_DIGIT[index];
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
