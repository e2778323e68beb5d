package ws.events.internal.wire;

/** The Socket.IO v5 packet types; the wire form of each is its digit. */
public enum PacketType {
    /** A client joins a namespace (data: the auth object); the server's answer carries the socket id. */
    CONNECT,
    /** Either side leaves a namespace. */
    DISCONNECT,
    /** An event: a JSON array, the name first. */
    EVENT,
    /** The answer to an event sent with an ack id: a JSON array. */
    ACK,
    /** The server refuses a CONNECT: {@code {"message":...,"data":...}}. */
    CONNECT_ERROR,
    /** An event with binary attachments. */
    BINARY_EVENT,
    /** An ack with binary attachments. */
    BINARY_ACK;

    private static final PacketType[] BY_DIGIT = values();

    /** The wire digit. */
    public char digit() {
        return (char) ('0' + ordinal());
    }

    /** The type of a wire digit. */
    public static PacketType ofDigit(char digit) {
        int index = digit - '0';
        if (index < 0 || index >= BY_DIGIT.length) {
            throw new WireFormatException("Socket.IO packet type must be a digit 0-6, got '"
                    + EnginePacketType.printable(digit) + "'");
        }
        return BY_DIGIT[index];
    }

    /** Whether a packet of this type carries binary attachments. */
    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /** EVENT or BINARY_EVENT. */
    public boolean isEvent() {
        return this == EVENT || this == BINARY_EVENT;
    }

    /** ACK or BINARY_ACK. */
    public boolean isAck() {
        return this == ACK || this == BINARY_ACK;
    }
}
