package ws.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The lines {@code ws connect} sends: typed in the {@link LineEditor}, or read from standard input. */
interface LineSource {
    /** The next line, without its line end; {@code null} at the end of input. */
    String next() throws IOException;

    /** UTF-8 lines of a stream (a pipe, a file, a script's input). */
    static LineSource of(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return reader::readLine;
    }
}
