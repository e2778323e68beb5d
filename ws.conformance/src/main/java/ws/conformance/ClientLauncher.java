package ws.conformance;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the client under test once per case (server mode), pointed at the case's URL. */
public interface ClientLauncher extends AutoCloseable {

    /** Starts a client that connects to {@code url} and echoes every message until the connection closes. */
    Handle launch(URI url) throws IOException;

    /** What it launches, for reports. */
    String describe();

    @Override
    default void close() {
    }

    /** One launched client. */
    interface Handle {
        /** Waits up to {@code ms} for the client to finish; returns whether it did. */
        boolean awaitExit(long ms) throws InterruptedException;

        /** Stops it now. */
        void stop();

        /** How it ended (exit status), or {@code null} when still running. */
        String outcome();
    }

    /**
     * A launcher that runs a command: {@code {url}} in any argument is replaced by the URL, or the URL
     * is appended when no argument holds it. Output goes to {@code log} (appended).
     */
    static ClientLauncher command(List<String> command, File log) {
        return new ClientLauncher() {
            @Override
            public Handle launch(URI url) throws IOException {
                List<String> args = new ArrayList<>();
                boolean placed = false;
                for (String a : command) {
                    if (a.contains("{url}")) {
                        placed = true;
                    }
                    args.add(a.replace("{url}", url.toString()));
                }
                if (!placed) {
                    args.add(url.toString());
                }
                ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                if (log != null) {
                    log.getParentFile().mkdirs();
                    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
                } else {
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                }
                Process p = pb.start();
                return new Handle() {
                    @Override
                    public boolean awaitExit(long ms) throws InterruptedException {
                        return p.waitFor(ms, TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void stop() {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }

                    @Override
                    public String outcome() {
                        return p.isAlive() ? null : "exit status " + p.exitValue();
                    }
                };
            }

            @Override
            public String describe() {
                return String.join(" ", command);
            }
        };
    }
}
