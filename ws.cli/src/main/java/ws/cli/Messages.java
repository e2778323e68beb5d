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
