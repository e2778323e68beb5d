package ws.cli;

import java.io.PrintStream;

/**
 * Where {@code ws connect} writes its lines: messages to standard output, connection details to
 * standard error. On a terminal the line editor is the screen, and prints both above the line being
 * typed. Each call writes whole lines (a text may hold several) and may come from any thread.
 */
interface Screen {
    /** A message, or a JSON event line: standard output. */
    void out(String lines);

    /** A connection detail or error for the person watching: standard error. */
    void err(String lines);

    /** Standard output and standard error as they are: pipes, files, scripts. */
    static Screen of(PrintStream out, PrintStream err) {
        return new Screen() {
            @Override
            public void out(String lines) {
                out.println(lines);
                out.flush();
            }

            @Override
            public void err(String lines) {
                err.println(lines);
                err.flush();
            }
        };
    }
}
