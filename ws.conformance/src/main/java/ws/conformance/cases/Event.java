package ws.conformance.cases;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Something the peer did that a case expects or not: a message, a ping, a pong; or a marker the case
 * itself records ("timeout A": the peer was still open when the case went on).
 *
 * @param kind   what it is
 * @param data   the payload (messages: the whole message)
 * @param binary for messages, whether binary
 * @param tag    for markers, the name
 */
public record Event(Kind kind, byte[] data, boolean binary, String tag) {

    /** Kinds of events. */
    public enum Kind { MESSAGE, PING, PONG, TIMEOUT }

    public Event {
        Objects.requireNonNull(kind, "kind");
        data = data == null ? new byte[0] : data;
        tag = tag == null ? "" : tag;
    }

    /** A text message with these UTF-8 bytes. */
    public static Event text(byte[] data) {
        return new Event(Kind.MESSAGE, data, false, null);
    }

    /** A text message. */
    public static Event text(String data) {
        return text(data.getBytes(StandardCharsets.UTF_8));
    }

    /** A binary message. */
    public static Event binary(byte[] data) {
        return new Event(Kind.MESSAGE, data, true, null);
    }

    /** A ping from the peer. */
    public static Event ping(byte[] data) {
        return new Event(Kind.PING, data, false, null);
    }

    /** A pong from the peer. */
    public static Event pong(byte[] data) {
        return new Event(Kind.PONG, data, false, null);
    }

    /** A pong from the peer. */
    public static Event pong(String data) {
        return pong(data.getBytes(StandardCharsets.UTF_8));
    }

    /** A marker: the case reached point {@code tag} with the connection still open. */
    public static Event timeout(String tag) {
        return new Event(Kind.TIMEOUT, null, false, tag);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && e.kind == kind && e.binary == binary && e.tag.equals(tag)
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, binary, tag, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TIMEOUT -> "timeout " + tag;
            case MESSAGE -> (binary ? "binary(" : "text(") + describe(data) + ")";
            case PING -> "ping(" + describe(data) + ")";
            case PONG -> "pong(" + describe(data) + ")";
        };
    }

    /** A short, readable description of a payload: its length and its start, as text when printable. */
    static String describe(byte[] data) {
        int shown = Math.min(data.length, 24);
        boolean printable = true;
        for (int i = 0; i < shown; i++) {
            if (data[i] < 0x20 || data[i] > 0x7E) {
                printable = false;
                break;
            }
        }
        String head = printable ? "\"" + new String(data, 0, shown, StandardCharsets.US_ASCII) + "\""
                : "0x" + HexFormat.of().formatHex(data, 0, shown);
        return data.length + " bytes" + (data.length == 0 ? "" : ": " + head + (data.length > shown ? "..." : ""));
    }
}
