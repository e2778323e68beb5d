package ws.benchmark.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak: our echo server ({@code ws echo}) in its own JVM on CPU 0, and many connections from
 * {@link LoadGenerator} ({@link LoadGenerator.Kind#SOAK}) echoing numbered messages at a steady
 * pace for a long time, on each transport in turn. Passes when every connection opened and stayed
 * open, every message came back once, whole and in order, and the server's heap after a full GC
 * and its thread count stayed flat (the mean of the last third of the samples within 10% or 8 MB,
 * and 1% or 20 threads, of the first third's). Started by {@code bench/soak}:
 * <pre>
 * SoakMain --root DIR --out DIR [--transports blocking,virtual] [--connections 10000] [--duration 600]
 *          [--rate 1] [--size 64] [--window 8] [--sample 15] [--threads 2]
 * </pre>
 * {@code --rate} is messages per second per connection, {@code --window} the most in flight per
 * connection, {@code --sample} seconds between samples of the server. Writes {@code soak.md} (the
 * verdicts and figures), {@code soak-TRANSPORT.csv} and {@code soak-TRANSPORT.png} (heap, threads
 * and open files over time) to the output folder; exits with 0 when every transport passed, else 1.
 */
public final class SoakMain {
    private final Path root;
    private final Path out;
    private final int connections;
    private final double duration;
    private final double rate;
    private final int size;
    private final int window;
    private final double sampleSeconds;
    private final int threads;

    private SoakMain(HardeningRun options) {
        root = options.root;
        out = options.out;
        connections = options.integer("connections", 10_000);
        duration = options.number("duration", 600);
        rate = options.number("rate", 1);
        size = options.integer("size", 64);
        window = options.integer("window", 8);
        sampleSeconds = options.number("sample", 15);
        threads = options.integer("threads", 2);
    }

    /**
     * Runs the soak.
     *
     * @param args see the class comment
     * @throws Exception when the soak cannot run at all
     */
    public static void main(String[] args) throws Exception {
        HardeningRun options = HardeningRun.parse(args, "connections", "duration", "rate", "size", "window", "sample",
                "threads");
        options.runEachTransport("soak", new SoakMain(options)::run);
    }

    private boolean run(String transport, StringBuilder report) throws Exception {
        int port = ServerProcess.freePort(19300);
        BenchMain.log(String.format(Locale.ROOT, "soak on the %s transport: %,d connections, %.1f msg/s each, %d B, %.0f s",
                transport, connections, rate, size, duration));
        List<String> failures = new ArrayList<>();
        Timeline timeline;
        LoadGenerator.Checks checks = null;
        LoadGenerator.OpenResult open = null;
        long started = System.nanoTime();
        try (ServerProcess server = ServerProcess.start("ws echo " + transport,
                ServerProcess.ours(root, HardeningRun.serverJvm(), "echo", port, transport, List.of()),
                out.resolve("soak-server-" + transport + ".log"), port, false, HardeningRun.jcmd())) {
            timeline = new Timeline(server);
            timeline.sample(0, 0, "idle");
            LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, connections, size, false, window,
                    LoadGenerator.Kind.SOAK, threads, BenchMain.loopbackSources(), 512, false, rate);
            try (LoadGenerator generator = new LoadGenerator(config)) {
                open = generator.open(300, TimeUnit.SECONDS);
                BenchMain.log(String.format(Locale.ROOT, "  opened %,d of %,d in %.1f s%s", open.opened(), connections,
                        open.nanos() / 1e9, open.firstError() == null ? "" : " (" + open.firstError() + ")"));
                if (open.opened() < connections) {
                    failures.add("opened " + open.opened() + " of " + connections + ": " + open.firstError());
                }
                timeline.sample(0, generator.openConnections(), "opened");
                generator.start();
                started = System.nanoTime();
                long end = started + (long) (duration * 1e9);
                LoadGenerator.Counters previous = generator.counters();
                while (System.nanoTime() < end && server.isAlive()) {
                    long wait = Math.min((long) (sampleSeconds * 1e9), end - System.nanoTime());
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, wait));
                    LoadGenerator.Counters now = generator.counters();
                    double perSecond = (now.messages() - previous.messages()) / ((now.nanoTime() - previous.nanoTime()) / 1e9);
                    previous = now;
                    timeline.sample(perSecond, generator.openConnections(), "soak");
                }
                generator.stop();
                checks = drain(generator);
            }
            if (!server.isAlive()) {
                failures.add("the server died: " + server.tail());
            } else {
                Timeline.Sample idle = timeline.labelled("idle").get(0);
                server.settle(idle.files() + 20, idle.threads() + 20, 60);
                timeline.sample(0, 0, "closed");
            }
        }
        double ran = (System.nanoTime() - started) / 1e9;
        String title = String.format(Locale.ROOT, "Soak, %s transport: %,d connections echoing %.0f msg/s each for %.0f s",
                transport, connections, rate, duration);
        String subtitle = HardeningRun.subtitle("ws echo");
        timeline.chart(out.resolve("soak-" + transport + ".png"), title, subtitle);
        Files.writeString(out.resolve("soak-" + transport + ".csv"), timeline.csv("echoes_per_s", "open_connections"));

        List<Timeline.Sample> steady = timeline.labelled("soak");
        String heap = Timeline.flat("heap after GC (MB)", steady, Timeline.Sample::heapMb, 0.10, 8);
        String threadLine = Timeline.flat("OS threads", steady, Timeline.Sample::threads, 0.01, 20);
        if (heap.startsWith("GREW")) {
            failures.add(heap);
        }
        if (threadLine.startsWith("GREW")) {
            failures.add(threadLine);
        }
        if (checks != null) {
            if (checks.ended() > 0) {
                failures.add(checks.ended() + " connections ended during the soak");
            }
            if (!checks.clean() || checks.received() != checks.sent()) {
                failures.add("messages: " + checks);
            }
        }
        boolean pass = failures.isEmpty();
        double echoes = steady.stream().mapToDouble(Timeline.Sample::load).average().orElse(0);
        report.append(String.format(Locale.ROOT, "### Soak, %s transport: %s%n%n", transport, pass ? "PASS" : "FAIL"));
        report.append(String.format(Locale.ROOT, "- %s; %s%n", title, subtitle));
        report.append("- machine: ").append(BenchMain.machine()).append('\n');
        if (open != null) {
            report.append(String.format(Locale.ROOT, "- connections: %,d of %,d opened in %.1f s%n", open.opened(),
                    connections, open.nanos() / 1e9));
        }
        if (checks != null) {
            report.append(String.format(Locale.ROOT, "- messages: %,d sent, %,d echoed in order, %,d duplicated or late, "
                            + "%,d skipped, %,d damaged; %,d connections ended early; %,d sends deferred (window full); "
                            + "%,.0f echoes/s on average over %.0f s%n", checks.sent(), checks.inOrder(), checks.duplicates(),
                    checks.skipped(), checks.corrupt(), checks.ended(), checks.behind(), echoes, ran));
        }
        report.append("- ").append(heap).append('\n');
        report.append("- ").append(threadLine).append('\n');
        List<Timeline.Sample> all = timeline.samples();
        for (Timeline.Sample s : all) {
            if (!s.label().equals("soak")) {
                report.append(String.format(Locale.ROOT, "- server %s: heap %.1f MB, %,d threads, %,d open files%n",
                        s.label().equals("idle") ? "before the connections" : s.label().equals("opened")
                                ? "with the connections open" : "after they closed", s.heapMb(), s.threads(), s.files()));
            }
        }
        HardeningRun.appendFailures(report, failures);
        return pass;
    }

    /** Waits (up to 60 s) until every message sent has come back, then returns the checks. */
    static LoadGenerator.Checks drain(LoadGenerator generator) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        LoadGenerator.Checks checks = generator.checks();
        while (checks.received() + checks.corrupt() < checks.sent() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            checks = generator.checks();
        }
        return checks;
    }
}
