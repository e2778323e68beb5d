package ws.events.internal.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Engine.IO packet: a type and optional data, text or binary (only a {@link EnginePacketType#MESSAGE}
 * carries binary).
 *
 * @param type   the packet type
 * @param text   the text data, or {@code null} (binary, or none)
 * @param binary the binary data, or {@code null}; not copied, do not change it
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary) {

    private static final EnginePacket PING = new EnginePacket(EnginePacketType.PING, null, null);
    private static final EnginePacket PONG = new EnginePacket(EnginePacketType.PONG, null, null);
    private static final EnginePacket CLOSE = new EnginePacket(EnginePacketType.CLOSE, null, null);
    private static final EnginePacket UPGRADE = new EnginePacket(EnginePacketType.UPGRADE, null, null);
    private static final EnginePacket NOOP = new EnginePacket(EnginePacketType.NOOP, null, null);
    /** The data of the upgrade probe ping and its pong. */
    public static final String PROBE = "probe";

    /** Checks that binary is only in a message, and not with text. */
    public EnginePacket {
        Objects.requireNonNull(type, "type");
        if (text != null && binary != null) {
            throw new IllegalArgumentException("a packet carries text or binary, not both");
        }
        if (binary != null && type != EnginePacketType.MESSAGE) {
            throw new IllegalArgumentException("only a message carries binary, not " + type);
        }
    }

    /** The server's handshake: {@code 0{"sid":...}}. */
    public static EnginePacket open(String handshakeJson) {
        return new EnginePacket(EnginePacketType.OPEN, handshakeJson, null);
    }

    /** Ends a polling session. */
    public static EnginePacket close() {
        return CLOSE;
    }

    /** The server's heartbeat. */
    public static EnginePacket ping() {
        return PING;
    }

    /** The client's answer to a heartbeat. */
    public static EnginePacket pong() {
        return PONG;
    }

    /** A ping or pong with data ({@code "probe"} during the upgrade). */
    public static EnginePacket of(EnginePacketType type, String text) {
        return new EnginePacket(type, text, null);
    }

    /** The last step of an upgrade. */
    public static EnginePacket upgrade() {
        return UPGRADE;
    }

    /** Nothing: ends a held poll during an upgrade. */
    public static EnginePacket noop() {
        return NOOP;
    }

    /** A text message. */
    public static EnginePacket message(String text) {
        return new EnginePacket(EnginePacketType.MESSAGE, Objects.requireNonNull(text, "text"), null);
    }

    /** A binary message. */
    public static EnginePacket message(byte[] binary) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, Objects.requireNonNull(binary, "binary"));
    }

    /** Whether it carries binary data. */
    public boolean isBinary() {
        return binary != null;
    }

    /** Whether this is the upgrade probe (a ping or pong with data "probe"). */
    public boolean isProbe() {
        return PROBE.equals(text) && (type == EnginePacketType.PING || type == EnginePacketType.PONG);
    }

    /** The data's length in bytes (UTF-8 for text), for payload limits. */
    public int dataLength() {
        if (binary != null) {
            return binary.length;
        }
        return text == null ? 0 : utf8Length(text);
    }

    /** The UTF-8 length of a string, counted without encoding it (an unpaired surrogate counts as '?'). */
    static int utf8Length(String value) {
        int length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EnginePacket that && type == that.type && Objects.equals(text, that.text)
                && Arrays.equals(binary, that.binary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, text, Arrays.hashCode(binary));
    }

    @Override
    public String toString() {
        return "EnginePacket[" + type + (text != null ? " \"" + text + "\"" : "")
                + (binary != null ? " " + binary.length + " bytes" : "") + "]";
    }
}
