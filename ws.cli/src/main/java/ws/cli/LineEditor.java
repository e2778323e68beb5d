package ws.cli;

import java.io.IOError;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;
import org.slf4j.LoggerFactory;

/**
 * {@code ws connect}'s input and output on a terminal (JLine): a line editor with history (Up and
 * Down), editing (Left, Right, Home/End or Ctrl-A/Ctrl-E, Ctrl-W, Ctrl-U, ...) and Ctrl-R search, which
 * prints what arrives above the line being typed and redraws that line, so a message never cuts
 * into it. Ctrl-D on an empty line and Ctrl-C end the input. The history lives for the session only:
 * nothing is written to disk.
 *
 * <p>The line is taken exactly as typed: no history expansion ({@code !}), no quotes or escapes, no
 * continuation lines: what is typed is the message.
 */
final class LineEditor implements Screen, LineSource, AutoCloseable {
    private static final String PROMPT = "> ";

    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;
    /** Where lines go once the terminal is closed: JLine closes it in its own shutdown hook (SIGTERM). */
    private final Screen afterClose;

    private LineEditor(Terminal terminal, LineReader reader, String prompt, Screen afterClose) {
        this.terminal = terminal;
        this.reader = reader;
        this.prompt = prompt;
        this.afterClose = afterClose;
    }

    /**
     * The editor on the process's terminal (standard input and output).
     *
     * @throws IOException when no terminal can be driven (no {@code stty}, not a terminal after all)
     */
    private static LineEditor open(Palette palette, Screen afterClose) throws IOException {
        // exec: the terminal is driven with stty, which needs no native code and no --enable-native-access;
        // dumb(false): no terminal is an error here (the caller falls back to plain lines), not a dumb one;
        // graphemeCluster(false): no query to the terminal at start, whose answer would be read from the input
        Terminal terminal = TerminalBuilder.builder().system(true).provider("exec").dumb(false).name("ws")
                .graphemeCluster(false).build();
        // Raw for the whole session, not only while a line is read: keys typed while a line is being
        // sent (or before the connection opened) wait for the editor instead of being echoed and
        // taken by the terminal's own line discipline (a Ctrl-D there would be lost). close() restores it.
        terminal.enterRawMode();
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("ws")
                // the line is the message: no word splitting on quotes or backslashes, no secondary prompt
                .parser(new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false);
        if (palette.enabled()) {
            AttributedStyle sent = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            builder.highlighter((lineReader, buffer) -> new AttributedString(buffer, sent));
        } else {
            builder.highlighter((lineReader, buffer) -> new AttributedString(buffer));
        }
        return new LineEditor(terminal, builder.build(), palette.sent(PROMPT), afterClose);
    }

    /**
     * The editor on the process's terminal, or {@code null} when none can be driven there: then the
     * tool reads and writes plain lines, as in a pipe.
     */
    static LineEditor openOrNull(Palette palette, Screen afterClose) {
        try {
            return open(palette, afterClose);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(LineEditor.class).debug("no line editor on this terminal: {}", e.toString());
            return null;
        }
    }

    /** The next line typed; {@code null} after Ctrl-D on an empty line, Ctrl-C, or once closed. */
    @Override
    public String next() {
        try {
            return reader.readLine(prompt);
        } catch (EndOfFileException | UserInterruptException e) {
            return null;
        } catch (IOError | UncheckedIOException e) {
            return null; // the terminal was closed under the reader: the connection is over
        }
    }

    @Override
    public void out(String lines) {
        try {
            reader.printAbove(lines);
        } catch (IllegalStateException | IOError e) {
            afterClose.out(lines); // the terminal is closed: the JVM is shutting down
        }
    }

    @Override
    public void err(String lines) {
        try {
            reader.printAbove(lines);
        } catch (IllegalStateException | IOError e) {
            afterClose.err(lines);
        }
    }

    /** Erases the prompt left on the last line, and gives the terminal back as it was. */
    @Override
    public void close() {
        try {
            if (reader.isReading()) {
                terminal.puts(Capability.carriage_return);
                terminal.puts(Capability.clr_eol);
                terminal.flush();
            }
            terminal.close();
        } catch (IOException | IllegalStateException | IOError e) {
            // closed already (JLine's shutdown hook): nothing left to restore
        }
    }
}
