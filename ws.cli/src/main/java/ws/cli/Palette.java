package ws.cli;

import java.util.Map;

/**
 * The colours of {@code ws connect} on a terminal: messages received in green, what was typed in
 * cyan, errors in red, the close in yellow, connection details dimmed. Colourless
 * ({@link #NONE}) anywhere else, and when the {@code NO_COLOR} environment variable is set to
 * anything but the empty string (no-color.org) or {@code TERM} is {@code dumb}.
 */
record Palette(boolean enabled) {
    /** No escape sequence at all. */
    static final Palette NONE = new Palette(false);

    private static final String RESET = "\033[0m";

    /** The palette for a terminal with this environment. */
    static Palette forTerminal(Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        boolean refused = noColor != null && !noColor.isEmpty() || "dumb".equals(environment.get("TERM"));
        return refused ? NONE : new Palette(true);
    }

    String received(String text) {
        return paint("32", text);
    }

    String sent(String text) {
        return paint("36", text);
    }

    String error(String text) {
        return paint("31", text);
    }

    String closed(String text) {
        return paint("33", text);
    }

    String info(String text) {
        return paint("2", text);
    }

    /** Each line painted on its own, so that a multi-line text never leaves colour across a line end. */
    private String paint(String code, String text) {
        if (!enabled) {
            return text;
        }
        StringBuilder painted = new StringBuilder(text.length() + 16);
        int start = 0;
        while (true) {
            int end = text.indexOf('\n', start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end);
            painted.append("\033[").append(code).append('m').append(line).append(RESET);
            if (end < 0) {
                return painted.toString();
            }
            painted.append('\n');
            start = end + 1;
        }
    }
}
