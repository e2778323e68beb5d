package ws.benchmark.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Slow consumers under broadcast: our broadcast server ({@code ws broadcast --high-water H
 * --backpressure P}) in its own JVM on CPU 0; {@code --clients} normal clients, one of which
 * publishes (16 messages in flight, a message in flight until every normal client has it), and in
 * the middle phase {@code --slow} more clients that stop reading once open ({@link
 * LoadGenerator.Kind#STALL}, 16 KiB receive buffers). Three phases on one server: alone, with the
 * slow ones, alone again. For each backpressure policy (and transport) it passes when
 * <ul>
 *   <li>every normal client received every message, once and in order, in every phase;</li>
 *   <li>the policy fired for the slow ones: under {@code close} the server dropped every one of
 *       them; under {@code fail} they are still connected but missed messages;</li>
 *   <li>the server's heap after a full GC with the slow ones still stalled is within
 *       {@code slow x H + 8 MB} of the heap at the same point of the first phase;</li>
 *   <li>the normal clients' deliveries per second with the slow ones are at least half the mean
 *       of the two phases without them (a shared machine is noisy: read the figures).</li>
 * </ul>
 * Started by {@code bench/slow-consumers}:
 * <pre>
 * SlowConsumersMain --root DIR --out DIR [--transports blocking,virtual] [--policies close,fail]
 *                   [--clients 100] [--slow 10] [--size 4096] [--high-water 1048576] [--measure 10]
 * </pre>
 * Writes {@code slow-consumers.md}; exits with 0 when every run passed, else 1.
 */
public final class SlowConsumersMain {
    /** Two phases alone differed by up to 45% on the shared machine: a check of half is what noise allows. */
    static final double MIN_RATIO = 0.50;
    static final double HEAP_MARGIN_MB = 8;

    private final Path root;
    private final Path out;
    private final List<String> policies;
    private final int clients;
    private final int slow;
    private final int size;
    private final int highWater;
    private final double measure;
    private final int threads;

    private SlowConsumersMain(HardeningRun options) {
        root = options.root;
        out = options.out;
        policies = options.list("policies", List.of("close", "fail"));
        clients = options.integer("clients", 100);
        slow = options.integer("slow", 10);
        size = options.integer("size", 4096);
        highWater = options.integer("high-water", 1 << 20);
        measure = options.number("measure", 10);
        threads = options.integer("threads", 2);
    }

    /** The figures of one phase. */
    private record Phase(String name, double deliveries, LoadGenerator.Checks normal, LoadGenerator.Checks slow,
                         String slowError, Timeline.Sample server) {
    }

    /**
     * Runs the slow-consumer check.
     *
     * @param args see the class comment
     * @throws Exception when it cannot run at all
     */
    public static void main(String[] args) throws Exception {
        HardeningRun options = HardeningRun.parse(args, "policies", "clients", "slow", "size", "high-water", "measure",
                "threads");
        SlowConsumersMain check = new SlowConsumersMain(options);
        options.runEachTransport("slow-consumers", check::runEachPolicy);
    }

    private boolean runEachPolicy(String transport, StringBuilder report) throws Exception {
        boolean pass = true;
        for (String policy : policies) {
            pass &= run(transport, policy, report);
        }
        return pass;
    }

    private boolean run(String transport, String policy, StringBuilder report) throws Exception {
        int port = ServerProcess.freePort(19500);
        BenchMain.log(String.format(Locale.ROOT, "slow consumers on the %s transport, --backpressure %s --high-water %,d: "
                + "%d clients, %d slow", transport, policy, highWater, clients, slow));
        List<Phase> phases = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start("ws broadcast " + transport,
                ServerProcess.ours(root, HardeningRun.serverJvm(), "broadcast", port, transport,
                        List.of("--high-water", Integer.toString(highWater), "--backpressure", policy)),
                out.resolve("slow-consumers-server-" + transport + "-" + policy + ".log"), port, false, HardeningRun.jcmd())) {
            Timeline timeline = new Timeline(server);
            timeline.sample(0, 0, "idle");
            for (String name : List.of("alone", "with slow consumers", "alone again")) {
                phases.add(phase(name, port, name.startsWith("with") ? slow : 0, timeline));
                if (!server.isAlive()) {
                    failures.add("the server died: " + server.tail());
                    break;
                }
            }
        }
        double alone = phases.stream().filter(p -> p.slow() == null).mapToDouble(Phase::deliveries).average().orElse(0);
        report.append(String.format(Locale.ROOT, "### Slow consumers, %s transport, --backpressure %s --high-water %,d: ",
                transport, policy, highWater));
        int headline = report.length();
        report.append(String.format(Locale.ROOT, "%n%n- ws broadcast; %d normal clients (one publishes %d-byte messages, "
                        + "16 in flight), %d clients that stop reading in the middle phase; %s%n", clients, size, slow,
                HardeningRun.subtitle("ws broadcast")));
        Phase first = phases.get(0);
        for (Phase phase : phases) {
            LoadGenerator.Checks n = phase.normal();
            report.append(String.format(Locale.ROOT, "- %s: %,.0f deliveries/s to the normal clients%s; %,d messages sent, "
                            + "each normal client got all %,d in order (fewest %,d; %,d skipped, %,d duplicated, %,d damaged, "
                            + "%d ended); server heap after GC %.1f MB, %,d threads%n",
                    phase.name(), phase.deliveries(), phase.slow() == null ? ""
                            : String.format(Locale.ROOT, " (%.2f of the mean alone)", phase.deliveries() / alone),
                    n.sent(), n.sent(), n.fewest(), n.skipped(), n.duplicates(), n.corrupt(), n.ended(),
                    phase.server().heapMb(), phase.server().threads()));
            if (!n.clean() || n.fewest() != n.sent() || n.ended() > 0 || n.open() != clients) {
                failures.add(phase.name() + ": a normal client missed messages: " + n);
            }
            LoadGenerator.Checks s = phase.slow();
            if (s == null) {
                continue;
            }
            long missed = slow * n.sent() - s.received();
            report.append(String.format(Locale.ROOT, "- the %d slow clients, reading again after the phase: %d dropped by "
                            + "the server (%d of them with a close frame 1008, the others by a reset or end of stream), "
                            + "%d still open; %,d messages received of the %,d sent to them, %,d missed%s%n",
                    slow, s.ended(), s.policyCloses(), s.open(), s.received(), slow * n.sent(), missed,
                    phase.slowError() == null ? "" : "; first end: " + phase.slowError()));
            // close: every slow client dropped; fail (and wait, which a broadcast treats as fail):
            // still connected, but the sends over the mark were skipped for them
            boolean fired = policy.equals("close") ? s.ended() == slow : s.open() == slow && missed > 0;
            if (!fired) {
                failures.add("the " + policy + " policy did not fire as expected for the slow clients: " + s);
            }
            double allowed = first.server().heapMb() + slow * highWater / 1048576.0 + HEAP_MARGIN_MB;
            if (phase.server().heapMb() > allowed) {
                failures.add(String.format(Locale.ROOT, "heap %.1f MB > %.1f MB (the first phase's + slow x high-water + %.0f MB)",
                        phase.server().heapMb(), allowed, HEAP_MARGIN_MB));
            }
            if (phase.deliveries() < MIN_RATIO * alone) {
                failures.add(String.format(Locale.ROOT, "the normal clients' rate fell to %.2f of the mean alone",
                        phase.deliveries() / alone));
            }
        }
        HardeningRun.appendFailures(report, failures);
        report.insert(headline, failures.isEmpty() ? "PASS" : "FAIL");
        return failures.isEmpty();
    }

    private Phase phase(String name, int port, int stalled, Timeline timeline) throws Exception {
        LoadGenerator stall = stalled == 0 ? null : new LoadGenerator(new LoadGenerator.Config("127.0.0.1", port, stalled,
                size, false, 1, LoadGenerator.Kind.STALL, 1, BenchMain.loopbackSources(), 64));
        LoadGenerator normal = new LoadGenerator(new LoadGenerator.Config("127.0.0.1", port, clients, size, false, 16,
                LoadGenerator.Kind.BROADCAST, threads, BenchMain.loopbackSources(), 256));
        try (stall; normal) {
            if (stall != null) {
                stall.openAll(60, TimeUnit.SECONDS);
            }
            normal.openAll(60, TimeUnit.SECONDS);
            Thread.sleep(500); // the server registers the last connections before the first message
            normal.start();
            Thread.sleep(3000);
            LoadGenerator.Counters c0 = normal.counters();
            Thread.sleep((long) (measure * 1000));
            LoadGenerator.Counters c1 = normal.counters();
            double deliveries = (c1.messages() - c0.messages()) / ((c1.nanoTime() - c0.nanoTime()) / 1e9);
            normal.stop();
            LoadGenerator.Checks checks = drain(normal);
            Timeline.Sample server = timeline.sample(deliveries, clients + stalled, name);
            LoadGenerator.Checks slowChecks = null;
            if (stall != null) {
                stall.resume();
                Thread.sleep(5000); // reads what the server buffered for them, then the end if it dropped them
                slowChecks = stall.checks();
            }
            BenchMain.log(String.format(Locale.ROOT, "  %s: %,.0f deliveries/s; normal %s%s", name, deliveries, checks,
                    slowChecks == null ? "" : "; slow " + slowChecks));
            return new Phase(name, deliveries, checks, slowChecks, stall == null ? null : stall.firstError(), server);
        }
    }

    /** Waits (up to 60 s) until every normal client has every message the publisher sent. */
    private LoadGenerator.Checks drain(LoadGenerator generator) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        LoadGenerator.Checks checks = generator.checks();
        while (checks.received() + checks.corrupt() < checks.sent() * checks.open() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            checks = generator.checks();
        }
        return checks;
    }
}
