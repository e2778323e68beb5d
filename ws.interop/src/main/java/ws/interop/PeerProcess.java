package ws.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A peer running as a process: its standard output as lines (kept, and queued to wait for), its
 * standard error kept for failure messages. Closing it closes its standard input (the peers end
 * on that), then kills it if it lingers.
 */
public final class PeerProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private final StringBuffer errors = new StringBuffer();
    private final Thread outputPump;
    private final Thread errorPump;

    private PeerProcess(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        outputPump = pump(process.getInputStream(), line -> {
            output.append(line).append('\n');
            lines.add(line);
        });
        errorPump = pump(process.getErrorStream(), line -> errors.append(line).append('\n'));
    }

    /** Starts {@code command} in {@code directory}. */
    public static PeerProcess start(Path directory, List<String> command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile()).start();
        return new PeerProcess(command, process);
    }

    private static Thread pump(InputStream stream, Consumer<String> sink) {
        return Thread.ofPlatform().daemon().name("peer-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** The next line of standard output; fails after {@code timeout} or when the process ended without one. */
    public String nextLine(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                return line;
            }
            if (!process.isAlive()) {
                line = lines.poll(500, TimeUnit.MILLISECONDS);
                if (line != null) {
                    return line;
                }
                throw new AssertionError("the peer exited with " + process.exitValue() + " before printing a line\n"
                        + describe());
            }
        }
        throw new AssertionError("no line from the peer within " + timeout + "\n" + describe());
    }

    /** Waits for the process to end and returns its exit status. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the peer did not finish within " + timeout + "\n" + describe());
        }
        outputPump.join(5_000); // what the process printed last is read by now
        errorPump.join(5_000);
        return process.exitValue();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the process to stop now (SIGTERM), for a peer that does not end on the end of its input. */
    public void terminate() {
        process.destroy();
    }

    /** Everything printed to standard output so far. */
    public String output() {
        return output.toString();
    }

    /** The command, its output and its errors, for a failure message. */
    public String describe() {
        return "command: " + String.join(" ", command) + "\nstdout:\n" + output + "stderr:\n" + errors;
    }

    @Override
    public void close() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
