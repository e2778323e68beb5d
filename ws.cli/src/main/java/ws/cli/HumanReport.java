package ws.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.extension.ExtensionParameters;

/**
 * The connection told to a person: each message after {@code "< "} on standard output (binary as its
 * size and hex), connection details, errors and the close after {@code "* "} on standard error;
 * pings and pongs only when verbose. On a terminal, a JSON object or array is indented, the lines
 * of a message after its first line up under its first character, control characters are shown
 * instead of obeyed ({@link Messages#visible}: a server cannot move the cursor or retitle the
 * window), and the lines are coloured. Elsewhere each message is printed exactly as it came.
 */
final class HumanReport implements Report {
    /** Continuation lines of an indented message line up under its first character. */
    private static final String CONTINUATION = "\n  ";

    private final Screen screen;
    private final Palette palette;
    private final boolean terminal;
    private final boolean indentJson;
    private final boolean verbose;

    /**
     * @param terminal   for a terminal: control characters made visible, continuation lines indented
     * @param indentJson indent messages that are JSON objects or arrays ({@link PrettyJson}); only on a terminal
     * @param verbose    report pings and pongs too
     */
    HumanReport(Screen screen, Palette palette, boolean terminal, boolean indentJson, boolean verbose) {
        this.screen = screen;
        this.palette = palette;
        this.terminal = terminal;
        this.indentJson = terminal && indentJson;
        this.verbose = verbose;
    }

    @Override
    public void connected(URI uri, WebSocket webSocket, String mode) {
        screen.err(palette.info("* connected to " + uri + details(webSocket) + " (" + mode + ")"));
    }

    @Override
    public void cannotConnect(URI uri, String why) {
        screen.err(palette.error("* cannot connect to " + uri + ": " + why));
    }

    @Override
    public void text(String text) {
        String shown = text;
        if (terminal) {
            shown = Messages.visible(indentJson ? PrettyJson.indent(text).orElse(text) : text).replace("\n", CONTINUATION);
        }
        screen.out(palette.received(Messages.text(shown)));
    }

    @Override
    public void binary(ByteBuffer data) {
        screen.out(palette.received(Messages.binary(data)));
    }

    @Override
    public void ping(ByteBuffer payload) {
        if (verbose) {
            screen.err(palette.info("* ping received (" + payload.remaining() + " bytes), pong sent"));
        }
    }

    @Override
    public void pong(ByteBuffer payload) {
        if (verbose) {
            screen.err(palette.info("* pong received (" + payload.remaining() + " bytes)"));
        }
    }

    @Override
    public void error(String message) {
        screen.err(palette.error("* " + shown(message)));
    }

    @Override
    public void closed(CloseStatus status) {
        screen.err(palette.closed("* closed: " + shown(status.toString()))); // the reason is the server's text
    }

    /** Text from the other side, made harmless on a terminal. */
    private String shown(String text) {
        return terminal ? Messages.visible(text) : text;
    }

    private static String details(WebSocket webSocket) {
        StringBuilder text = new StringBuilder();
        if (!webSocket.subprotocol().isEmpty()) {
            text.append(", subprotocol ").append(webSocket.subprotocol());
        }
        if (!webSocket.extensions().isEmpty()) {
            text.append(", extensions ").append(ExtensionParameters.formatAll(webSocket.extensions()));
        }
        return text.toString();
    }

    @Override
    public void reconnecting(int attempt, Duration delay, String cause) {
        screen.err(palette.closed("* reconnecting in " + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0)
                + " s (attempt " + attempt + "): " + shown(cause)));
    }

    @Override
    public void reconnected(URI uri, int attempts) {
        screen.err(palette.info("* reconnected to " + uri + " after " + attempts(attempts)));
    }

    @Override
    public void gaveUp(int attempts) {
        screen.err(palette.error("* gave up after " + attempts(attempts)));
    }

    /** "1 attempt", "3 attempts". */
    private static String attempts(int count) {
        return count + (count == 1 ? " attempt" : " attempts");
    }
}
