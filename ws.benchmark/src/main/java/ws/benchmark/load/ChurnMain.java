package ws.benchmark.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The churn: our echo server ({@code ws echo}) in its own JVM on CPU 0, and {@link LoadGenerator}
 * ({@link LoadGenerator.Kind#CHURN}) opening connections at a steady rate and resetting every one
 * of them ({@code SO_LINGER} 0): a quarter in the middle of the opening handshake's request, a
 * quarter in the middle of a frame, the rest after one echoed message. A first churn of
 * {@code --warmup} seconds loads classes and grows pools; then the baseline is taken (heap after a
 * full GC, OS threads, open files), the churn runs {@code --duration} seconds, and the server gets
 * up to 60 s to let go. Passes when its open files are back to the baseline (+4 at most), its
 * threads too (+8 at most: the JVM starts and stops compiler and GC threads on its own), and its
 * heap after a full GC within 8 MB or 10% of the baseline. Started by {@code bench/churn}:
 * <pre>
 * ChurnMain --root DIR --out DIR [--transports blocking,virtual] [--rate 1000] [--duration 60]
 *           [--warmup 10] [--sample 5] [--threads 2]
 * </pre>
 * Writes {@code churn.md}, {@code churn-TRANSPORT.csv} and {@code churn-TRANSPORT.png}; exits with 0
 * when every transport passed, else 1.
 */
public final class ChurnMain {
    static final int FILES_TOLERANCE = 4;
    static final int THREADS_TOLERANCE = 8;
    static final double HEAP_TOLERANCE_MB = 8;
    static final double HEAP_TOLERANCE = 0.10;

    private final Path root;
    private final Path out;
    private final double rate;
    private final double duration;
    private final double warmup;
    private final double sampleSeconds;
    private final int threads;

    private ChurnMain(HardeningRun options) {
        root = options.root;
        out = options.out;
        rate = options.number("rate", 1000);
        duration = options.number("duration", 60);
        warmup = options.number("warmup", 10);
        sampleSeconds = options.number("sample", 5);
        threads = options.integer("threads", 2);
    }

    /**
     * Runs the churn.
     *
     * @param args see the class comment
     * @throws Exception when the churn cannot run at all
     */
    public static void main(String[] args) throws Exception {
        HardeningRun options = HardeningRun.parse(args, "rate", "duration", "warmup", "sample", "threads");
        options.runEachTransport("churn", new ChurnMain(options)::run);
    }

    private LoadGenerator.Config config(int port, double seconds) throws java.io.IOException {
        return new LoadGenerator.Config("127.0.0.1", port, (int) Math.round(rate * seconds), 64, false, 1,
                LoadGenerator.Kind.CHURN, threads, BenchMain.loopbackSources(), 4096, false, rate);
    }

    private boolean run(String transport, StringBuilder report) throws Exception {
        int port = ServerProcess.freePort(19400);
        BenchMain.log(String.format(Locale.ROOT, "churn on the %s transport: %,.0f connections/s for %.0f s (after %.0f s of warm-up)",
                transport, rate, duration, warmup));
        List<String> failures = new ArrayList<>();
        Timeline timeline;
        LoadGenerator.OpenResult warm;
        LoadGenerator.OpenResult churned;
        Timeline.Sample baseline;
        Timeline.Sample after = null;
        try (ServerProcess server = ServerProcess.start("ws echo " + transport,
                ServerProcess.ours(root, HardeningRun.serverJvm(), "echo", port, transport, List.of()),
                out.resolve("churn-server-" + transport + ".log"), port, false, HardeningRun.jcmd())) {
            timeline = new Timeline(server);
            Timeline.Sample idle = timeline.sample(0, 0, "idle");
            warm = churn(port, warmup, timeline, "warm-up");
            server.settle(idle.files() + FILES_TOLERANCE, idle.threads() + THREADS_TOLERANCE, 60);
            baseline = timeline.sample(0, 0, "baseline");
            churned = churn(port, duration, timeline, "churn");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            server.settle(baseline.files() + FILES_TOLERANCE, baseline.threads() + THREADS_TOLERANCE, 60);
            while (server.isAlive()) { // the heap, sampled until back or out of time
                after = timeline.sample(0, 0, "after");
                if (back(baseline, after) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(5000);
            }
            if (!server.isAlive()) {
                failures.add("the server died: " + server.tail());
            }
        }
        String title = String.format(Locale.ROOT, "Churn, %s transport: %,.0f connects and resets per second for %.0f s",
                transport, rate, duration);
        timeline.chart(out.resolve("churn-" + transport + ".png"), title, HardeningRun.subtitle("ws echo"));
        Files.writeString(out.resolve("churn-" + transport + ".csv"), timeline.csv("connections_per_s", "connections_done"));
        if (after == null) {
            failures.add("no sample after the churn");
        } else {
            if (after.files() > baseline.files() + FILES_TOLERANCE) {
                failures.add("open files " + after.files() + " > baseline " + baseline.files() + " + " + FILES_TOLERANCE);
            }
            if (after.threads() > baseline.threads() + THREADS_TOLERANCE) {
                failures.add("threads " + after.threads() + " > baseline " + baseline.threads() + " + " + THREADS_TOLERANCE);
            }
            if (!heapBack(baseline, after)) {
                failures.add(String.format(Locale.ROOT, "heap after GC %.1f MB > baseline %.1f MB + %.1f MB", after.heapMb(),
                        baseline.heapMb(), heapAllowance(baseline)));
            }
        }
        boolean pass = failures.isEmpty();
        report.append(String.format(Locale.ROOT, "### Churn, %s transport: %s%n%n", transport, pass ? "PASS" : "FAIL"));
        report.append(String.format(Locale.ROOT, "- %s; %s%n", title, HardeningRun.subtitle("ws echo")));
        report.append("- machine: ").append(BenchMain.machine()).append('\n');
        for (LoadGenerator.OpenResult r : List.of(warm, churned)) {
            report.append(String.format(Locale.ROOT, "- %s: %,d connections in %.1f s (%,.0f/s): %,d reset where planned "
                            + "(a quarter mid-request, a quarter mid-frame, half after one echo), %,d otherwise%s%n",
                    r == warm ? "warm-up" : "churn", r.opened() + r.failed(), r.nanos() / 1e9,
                    (r.opened() + r.failed()) / (r.nanos() / 1e9), r.opened(), r.failed(),
                    r.firstError() == null ? "" : " (first: " + r.firstError() + ")"));
        }
        report.append(String.format(Locale.ROOT, "- baseline (after the warm-up): heap after GC %.1f MB, %,d threads, %,d open files%n",
                baseline.heapMb(), baseline.threads(), baseline.files()));
        double peakFiles = timeline.labelled("churn").stream().mapToInt(Timeline.Sample::files).max().orElse(0);
        double peakThreads = timeline.labelled("churn").stream().mapToInt(Timeline.Sample::threads).max().orElse(0);
        report.append(String.format(Locale.ROOT, "- during the churn, at most %,.0f open files and %,.0f threads%n", peakFiles,
                peakThreads));
        if (after != null) {
            report.append(String.format(Locale.ROOT, "- after (%.0f s after the churn ended): heap after GC %.1f MB (%+.1f), "
                            + "%,d threads (%+d), %,d open files (%+d); allowed: +%.1f MB, +%d threads, +%d files%n",
                    after.seconds() - timeline.labelled("churn").getLast().seconds(), after.heapMb(),
                    after.heapMb() - baseline.heapMb(), after.threads(), after.threads() - baseline.threads(), after.files(),
                    after.files() - baseline.files(), heapAllowance(baseline), THREADS_TOLERANCE, FILES_TOLERANCE));
        }
        HardeningRun.appendFailures(report, failures);
        return pass;
    }

    /** One churn of {@code seconds}, the server sampled every {@code --sample} seconds while it runs. */
    private LoadGenerator.OpenResult churn(int port, double seconds, Timeline timeline, String label) throws Exception {
        try (LoadGenerator generator = new LoadGenerator(config(port, seconds))) {
            CompletableFuture<LoadGenerator.OpenResult> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return generator.open((long) (seconds + 120), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int previous = 0;
            long previousNanos = System.nanoTime();
            while (true) {
                try {
                    return result.get((long) (sampleSeconds * 1000), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    int done = generator.finished();
                    long now = System.nanoTime();
                    timeline.sample((done - previous) / ((now - previousNanos) / 1e9), done, label);
                    previous = done;
                    previousNanos = now;
                }
            }
        }
    }

    private static double heapAllowance(Timeline.Sample baseline) {
        return Math.max(HEAP_TOLERANCE_MB, baseline.heapMb() * HEAP_TOLERANCE);
    }

    private static boolean heapBack(Timeline.Sample baseline, Timeline.Sample after) {
        return after.heapMb() <= baseline.heapMb() + heapAllowance(baseline);
    }

    private static boolean back(Timeline.Sample baseline, Timeline.Sample after) {
        return heapBack(baseline, after) && after.files() <= baseline.files() + FILES_TOLERANCE
                && after.threads() <= baseline.threads() + THREADS_TOLERANCE;
    }
}
