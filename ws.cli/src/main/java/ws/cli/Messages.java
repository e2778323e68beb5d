package ws.cli;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** How the interactive client shows what it receives. */
final class Messages {
    /** Bytes shown of a binary message before "...". */
    static final int HEX_SHOWN = 32;

    private Messages() {
    }

    /** A text message as it arrived, after the prefix. */
    static String text(String text) {
        return "< " + text;
    }

    /**
     * The text with its control characters shown rather than obeyed, for a terminal: C0 controls as
     * {@code ^X} ({@code ESC} as {@code ^[}, {@code CR} as {@code ^M}), {@code DEL} as {@code ^?}, C1
     * controls as {@code <U+009B>}. Line feeds and tabs stay.
     */
    static String visible(String text) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f;
            if (control && shown == null) {
                shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (shown == null) {
                continue;
            }
            if (!control) {
                shown.append(c);
            } else if (c < 0x20) {
                shown.append('^').append((char) (c + 0x40));
            } else if (c == 0x7f) {
                shown.append("^?");
            } else {
                shown.append(String.format("<U+%04X>", (int) c));
            }
        }
        return shown == null ? text : shown.toString();
    }

    /** A binary message as its size and the hex of its first {@value #HEX_SHOWN} bytes. */
    static String binary(ByteBuffer data) {
        int size = data.remaining();
        int shown = Math.min(size, HEX_SHOWN);
        byte[] head = new byte[shown];
        data.duplicate().get(head);
        StringBuilder line = new StringBuilder("< [binary ").append(size).append(size == 1 ? " byte]" : " bytes]");
        if (shown > 0) {
            line.append(' ').append(HexFormat.ofDelimiter(" ").formatHex(head));
        }
        if (shown < size) {
            line.append(" ...");
        }
        return line.toString();
    }
}
