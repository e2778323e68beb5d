package ws.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A process started from the image, with its standard output as lines to wait for, and its standard error kept. */
final class ImageProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer errors = new StringBuffer();
    /** Counted down when standard output has been read to its end (the process closed it). */
    private final CountDownLatch outputEnded = new CountDownLatch(1);

    private ImageProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), line -> lines.add(line), outputEnded);
        pump(process.getErrorStream(), line -> errors.append(line).append('\n'), new CountDownLatch(1));
    }

    static ImageProcess start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        return new ImageProcess(builder.start());
    }

    private static void pump(InputStream stream, java.util.function.Consumer<String> sink, CountDownLatch ended) {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                ended.countDown();
            }
        });
    }

    /** The next line of standard output, waiting at most {@code timeout}. */
    String nextLine(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String line = null;
        while (line == null && System.nanoTime() < deadline) {
            line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null && !process.isAlive()) {
                // its last lines may still be in the pump: wait for the pump to reach the end of the
                // output (a fixed 500 ms was not always enough on a loaded machine)
                outputEnded.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                line = lines.poll();
                break;
            }
        }
        if (line == null) {
            throw new AssertionError("no output within " + timeout + "; alive: " + process.isAlive()
                    + "; stderr:\n" + errors);
        }
        return line;
    }

    /** Sends SIGTERM (Process.destroy on Unix). */
    void terminate() {
        process.destroy();
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "; stderr:\n" + errors);
        }
        return process.exitValue();
    }

    String errors() {
        return errors.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
