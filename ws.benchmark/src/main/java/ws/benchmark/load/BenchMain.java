package ws.benchmark.load;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load benchmark: starts each server (ours on both transports, Netty, Jetty,
 * Java-WebSocket, Node's ws, and the raw echo that measures the load generator's ceiling) in its own
 * process, runs every profile against it with {@link LoadGenerator}, and prints one table with the
 * ratio of ours to the best peer. Started by {@code ./bench/run}, which passes the paths:
 * {@code BenchMain --root DIR --out DIR [--quick] [--servers a,b] [--profiles x,y] [--threads N] [--jfr]
 * [--budget SECONDS] [--warmup SECONDS] [--idle-connections N]}.
 *
 * <p>Netty runs first (after the generator's ceiling): its small-echo rate at saturation sets the
 * offered loads of the latency profile of the servers after it, and the charts give every server's
 * figures as ratios to it. Every throughput profile also reads the server's CPU time (user + system)
 * at both ends of its measured window: CPU per message or per handshake. With a budget, a profile
 * that would start after it is skipped and listed as such.
 */
public final class BenchMain {
    private final Path root;
    private final Path out;
    private final boolean quick;
    private final int threads;
    private final boolean jfr;
    /**
     * The closed-loop profiles' warm-up in seconds ({@code --warmup}; default 10, quick 1.5). Ten, not
     * three as before 2026-12-06: with the server on one core, a hundred runnable connection threads
     * leave the JIT's compiler threads a hundredth of it, and a blocking server was still half
     * interpreted after 3 s (docs/performance.md, "The blocking transport's small echo, round five").
     */
    private final double warmup;
    /**
     * The idle profile's connections ({@code --idle-connections}; default 10,000, quick 2,000). More
     * than the open-files limit allows fail to open: {@code bench/idle-vm} runs 50,000 in a guest
     * whose limit it raises.
     */
    private final int idleConnections;
    private final List<String> serverNames;
    private final List<String> profileNames;
    private final Path java;
    private final Path jcmd;
    private final List<InetAddress> sources = loopbackSources();
    private final Results results = new Results();
    private final long deadline;
    private List<LoadPoint> loadPoints;
    private List<LoadPoint> wssLoadPoints;
    private int nextPort = 19100;

    private BenchMain(Path root, Path out, boolean quick, int threads, boolean jfr, List<String> servers,
                      List<String> profiles, long budgetSeconds, double warmup, int idleConnections) throws IOException {
        this.warmup = warmup > 0 ? warmup : quick ? 1.5 : 10;
        this.idleConnections = idleConnections > 0 ? idleConnections : quick ? 2000 : 10_000;
        this.deadline = budgetSeconds <= 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(budgetSeconds);
        this.root = root;
        this.out = out;
        this.quick = quick;
        this.threads = threads;
        this.jfr = jfr;
        this.serverNames = servers;
        this.profileNames = profiles;
        Path home = Path.of(System.getProperty("java.home"));
        this.java = home.resolve("bin/java");
        this.jcmd = home.resolve("bin/jcmd");
    }

    /** The generator's 16 source addresses, 127.0.0.2 to 127.0.0.17: more ephemeral ports than one gives. */
    static List<InetAddress> loopbackSources() throws IOException {
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 2; i < 18; i++) {
            sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
        }
        return sources;
    }

    /** All servers, in the order they run; the first is the generator's ceiling. */
    static final List<String> ALL_SERVERS = List.of("raw", "ours-blocking", "ours-virtual", "ours-eventloop", "netty", "jetty",
            "java-websocket", "node-ws");
    /** All profiles. */
    static final List<String> ALL_PROFILES = List.of("idle", "echo-64", "echo-64k", "latency", "broadcast", "capacity",
            "wss-echo-64", "latency-wss", "wss"); // wss-echo-64 first: the wss profile leaves handshakes its clients gave up on
    /**
     * The profiles run against a server started with TLS, in this order (see ALL_PROFILES):
     * latency-wss after wss-echo-64, whose Netty rate sets its loads.
     */
    static final List<String> TLS_PROFILES = List.of("wss-echo-64", "latency-wss", "wss");
    /**
     * The servers started with TLS (the JDK's TLS on each) for the wss profiles; the others' rows say
     * n/a. One of ours that cannot take TLS on a transport (it exits at start) is n/a too.
     */
    static final List<String> TLS_SERVERS = List.of("ours-blocking", "ours-virtual", "ours-eventloop", "netty", "jetty");
    /** The servers of the latency profiles (plain and wss://): ours on each transport, and Netty. */
    static final List<String> LATENCY_SERVERS = List.of("ours-blocking", "ours-virtual", "ours-eventloop", "netty");
    /** The offered loads of the latency profile, in percent of Netty's small-echo rate at saturation in the same run. */
    static final List<Integer> LOAD_PERCENTS = List.of(10, 25, 50, 75, 90);
    static final List<Integer> QUICK_LOAD_PERCENTS = List.of(25, 50, 90);
    /** The fixed offered loads (messages/s over 100 connections) when the run has no Netty small-echo figure. */
    static final List<Integer> RATES = List.of(25_000, 100_000, 250_000, 400_000);
    static final List<Integer> QUICK_RATES = List.of(50_000, 200_000);

    /**
     * One offered load of a latency profile: its key in the results, its rate in messages/s over 100
     * connections, its share of Netty's saturation in percent (0 when it is a fixed rate), and whether
     * it runs over wss:// (latency-wss: a share of Netty's wss-echo-64 rate).
     */
    record LoadPoint(String key, double rate, int percent, boolean tls) {
        String label() {
            String what = tls ? "wss:// echo 64 B" : "echo 64 B";
            return percent > 0
                    ? String.format(Locale.ROOT, "%s at %d %% of Netty's %ssaturation (%,.0f msg/s)", what, percent,
                            tls ? "wss:// " : "", rate)
                    : String.format(Locale.ROOT, "%s at %,.0f msg/s offered", what, rate);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     * @throws Exception when the benchmark cannot run at all
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path out = Path.of("target", "bench");
        boolean quick = false;
        boolean jfr = false;
        int threads = 2;
        long budget = 0;
        double warmup = 0;
        int idleConnections = 0;
        List<String> servers = ALL_SERVERS;
        List<String> profiles = ALL_PROFILES;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--servers" -> servers = List.of(args[++i].split(","));
                case "--profiles" -> profiles = List.of(args[++i].split(","));
                case "--budget" -> budget = Long.parseLong(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--idle-connections" -> idleConnections = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        BenchMain bench = new BenchMain(root.toAbsolutePath().normalize(), out.toAbsolutePath(), quick, threads, jfr,
                servers, profiles, budget, warmup, idleConnections);
        bench.run();
    }

    /** The servers in the order they run: the ceiling, then Netty (the reference), then the others. */
    static List<String> runOrder(List<String> servers) {
        List<String> order = new ArrayList<>();
        for (String first : List.of("raw", "netty")) {
            if (servers.contains(first)) {
                order.add(first);
            }
        }
        for (String server : servers) {
            if (!order.contains(server)) {
                order.add(server);
            }
        }
        return order;
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        log("load benchmark (" + (quick ? "quick" : "full") + "), generator threads " + threads + ", results in " + out
                + (deadline == Long.MAX_VALUE ? "" : String.format(Locale.ROOT, ", time budget %.0f s", (deadline - start) / 1e9)));
        for (String server : runOrder(serverNames)) {
            boolean raw = server.equals("raw");
            List<String> echoProfiles = new ArrayList<>();
            for (String p : profileNames) {
                boolean ours = server.equals("ours-virtual") || server.equals("ours-eventloop"); // capacity: not on platform threads (a thread per connection)
                if (!p.equals("broadcast") && !TLS_PROFILES.contains(p) && !(raw && p.equals("idle"))
                        && !(p.equals("capacity") && !ours) && !(p.equals("latency") && !LATENCY_SERVERS.contains(server))) {
                    echoProfiles.add(p);
                }
            }
            if (!echoProfiles.isEmpty()) {
                runServer(server, "echo", echoProfiles);
            }
            if (profileNames.contains("broadcast")) {
                runServer(server, "broadcast", List.of("broadcast"));
            }
            List<String> tlsProfiles = TLS_PROFILES.stream().filter(profileNames::contains)
                    .filter(p -> !p.equals("latency-wss") || LATENCY_SERVERS.contains(server)).toList();
            if (!tlsProfiles.isEmpty() && TLS_SERVERS.contains(server)) {
                runServer(server, "wss", tlsProfiles);
            } else if (!tlsProfiles.isEmpty() && !raw) {
                notApplicable(server, tlsProfiles);
            }
        }
        log(String.format(Locale.ROOT, "all runs done in %.0f s", (System.nanoTime() - start) / 1e9));
        List<LoadPoint> loads = new ArrayList<>(loadPoints(false));
        loads.addAll(loadPoints(true));
        Report report = new Report(results, ALL_SERVERS, machine(), quick, idleConnections, quick ? 500 : 1000,
                loads);
        String table = report.markdown();
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("load.md"), table);
        Files.writeString(out.resolve("load.csv"), report.csv());
        report.chart(out.resolve("ratios.png"));
        RunCharts charts = new RunCharts(results, ALL_SERVERS, machine() + (quick ? " (quick run)" : " (full run)"));
        charts.throughput(out.resolve("throughput.png"));
        charts.latency(out.resolve("latency.png"), loadPoints(false));
        if (profileNames.contains("latency-wss")) {
            charts.latency(out.resolve("latency-wss.png"), loadPoints(true));
        }
        log("wrote load.md, load.csv, ratios.png, throughput.png and latency.png (latency-wss.png) to " + out);
    }

    /** The server's rows of these profiles say n/a: it runs no TLS in this benchmark. */
    private void notApplicable(String server, List<String> profiles) {
        for (String profile : profiles) {
            if (profile.equals("latency-wss")) {
                continue; // its rows are per load: left empty
            }
            for (String metric : profile.equals("wss") ? List.of("full", "resumed", "full.cpu")
                    : List.of("msgs", "mbs", "p50", "p99", "p999", "cpu")) {
                results.put(server, profile + "." + metric, Double.NaN);
            }
        }
    }

    /** Seconds a profile is expected to take here (a run is skipped when fewer than these are left). */
    private double expectedSeconds(String profile) {
        double window = warmupSeconds() + measureSeconds() + 2;
        return switch (profile) {
            case "latency", "latency-wss" -> loadPoints(profile.equals("latency-wss")).size() * ((quick ? 2.5 : 4) + 1.5);
            case "idle" -> (quick ? 15 : 40) * Math.max(1.0, idleConnections / (quick ? 2000.0 : 10_000.0));
            case "capacity" -> quick ? 20 : 60;
            case "wss" -> (quick ? 1.5 : 3) + 2 * measureSeconds() / 1.5;
            default -> window;
        };
    }

    private void runServer(String server, String mode, List<String> profiles) throws Exception {
        if (System.nanoTime() + TimeUnit.SECONDS.toNanos(5 + (long) expectedSeconds(profiles.getFirst())) > deadline) {
            for (String profile : profiles) {
                log("  " + server + " " + profile + ": skipped (time budget)");
                results.error(server, profile + ": skipped (time budget)");
            }
            return;
        }
        int port = freePort();
        Path logFile = out.resolve("server-" + server + "-" + mode + ".log");
        ServerProcess process;
        try {
            process = ServerProcess.start(server + " " + mode, command(server, mode, port), logFile, port,
                    server.equals("node-ws"), jcmd);
        } catch (IOException e) {
            log("  " + server + " " + mode + ": did not start: " + e.getMessage());
            if (mode.equals("wss") && server.startsWith("ours-")) { // this transport takes no TLS (yet)
                notApplicable(server, profiles);
                results.error(server, "wss: n/a, the server did not start with --tls (" + whyNotStarted(e.getMessage()) + ")");
            } else {
                results.error(server, mode + ": did not start");
            }
            return;
        }
        try {
            log(server + " " + mode + " on port " + port + " (pid " + process.pid() + ")");
            for (String profile : profiles) {
                if (System.nanoTime() + TimeUnit.SECONDS.toNanos((long) expectedSeconds(profile)) > deadline) {
                    log("  " + profile + ": skipped (time budget)");
                    results.error(server, profile + ": skipped (time budget)");
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    switch (profile) {
                        case "idle" -> idle(server, process, port);
                        case "echo-64" -> echo(server, process, port, "echo-64", 100, 64, false, 16, null);
                        case "echo-64k" -> echo(server, process, port, "echo-64k", 10, 64 << 10, true, 4, null);
                        case "latency" -> latency(server, port, false);
                        case "latency-wss" -> latency(server, port, true);
                        case "wss" -> wss(server, process, port);
                        case "wss-echo-64" -> echo(server, process, port, "wss-echo-64", 100, 64, false, 16,
                                TlsWire.trusting(certificate()[0]));
                        case "broadcast" -> broadcast(server, process, port);
                        case "capacity" -> capacity(server, process, port);
                        default -> throw new IllegalArgumentException("unknown profile " + profile);
                    }
                } catch (Exception e) {
                    log("  " + profile + ": FAILED: " + e);
                    results.error(server, profile + ": " + e.getMessage());
                }
                if (!process.isAlive()) {
                    log("  server died: " + process.tail());
                    results.error(server, "server died during " + profile);
                    break;
                }
                log(String.format(Locale.ROOT, "  %s took %.1f s", profile, (System.nanoTime() - t0) / 1e9));
            }
        } finally {
            process.close();
        }
    }

    private List<String> command(String server, String mode, int port) throws IOException {
        List<String> jvm = new ArrayList<>(ServerProcess.pinned());
        jvm.addAll(List.of(java.toString(), "-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints"));
        if (jfr) {
            jvm.add("-XX:StartFlightRecording=filename=" + out.resolve(server + "-" + mode + ".jfr") + ",settings=profile");
        }
        Path benchClasses = root.resolve("ws.benchmark/target/classes");
        String classPath = benchClasses + ":" + root.resolve("ws.benchmark/target/lib") + "/*";
        return switch (server) {
            case "ours-blocking", "ours-virtual", "ours-eventloop" -> {
                List<String> options = new ArrayList<>(List.of("--no-extensions"));
                if (mode.equals("wss")) {
                    Path[] pem = certificate();
                    options.addAll(List.of("--tls", "--cert", pem[0].toString(), "--key", pem[1].toString()));
                }
                jvm.addAll(List.of("--add-modules", "org.bouncycastle.pkix"));
                yield ServerProcess.ours(root, jvm, mode.equals("wss") ? "echo" : mode, port,
                        server.substring("ours-".length()), options);
            }
            case "netty", "jetty", "java-websocket", "raw" -> {
                jvm.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath,
                        "ws.benchmark.peers.PeerMain", server, mode.equals("wss") ? "echo" : mode, Integer.toString(port)));
                if (mode.equals("wss")) {
                    Path[] pem = certificate();
                    jvm.addAll(List.of(pem[0].toString(), pem[1].toString()));
                }
                yield jvm;
            }
            case "node-ws" -> {
                List<String> node = new ArrayList<>(ServerProcess.pinned());
                node.addAll(List.of("node", "--expose-gc", root.resolve("bench/node/server.mjs").toString(), mode,
                        Integer.toString(port)));
                yield node;
            }
            default -> throw new IllegalArgumentException("unknown server " + server);
        };
    }

    private double warmupSeconds() {
        return warmup;
    }

    private double measureSeconds() {
        return quick ? 3 : 6;
    }

    /** A closed-loop echo ({@code tls}: over wss://, trusting what it trusts). */
    private void echo(String server, ServerProcess process, int port, String profile, int connections, int payload,
                      boolean binary, int window, javax.net.ssl.SSLContext tls) throws Exception {
        // over TLS, 16 handshakes at a time: a busy server given 100 at once times some of them out
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, connections, payload, binary, window,
                LoadGenerator.Kind.ECHO, threads, sources, tls == null ? 256 : 16).withTls(tls);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            generator.openAll(60, TimeUnit.SECONDS);
            generator.start();
            measure(server, process, profile, generator, payload);
        }
    }

    /**
     * The offered loads of a latency profile: shares of Netty's small-echo rate at saturation in this
     * run (Netty runs first; over wss://, its wss-echo-64 rate), or fixed rates when the run has no such
     * figure. Fixed once asked.
     */
    private List<LoadPoint> loadPoints(boolean tls) {
        List<LoadPoint> fixed = tls ? wssLoadPoints : loadPoints;
        if (fixed != null) {
            return fixed;
        }
        String prefix = tls ? "latency-wss-" : "latency-";
        Double netty = results.get("netty", tls ? "wss-echo-64.msgs" : "echo-64.msgs");
        List<LoadPoint> points = new ArrayList<>();
        if (netty != null && netty > 1000) {
            for (int percent : quick ? QUICK_LOAD_PERCENTS : LOAD_PERCENTS) {
                points.add(new LoadPoint(prefix + percent, Math.round(netty * percent / 100.0), percent, tls));
            }
        } else {
            for (int rate : quick ? QUICK_RATES : RATES) {
                points.add(new LoadPoint(prefix + "at-" + rate, rate, 0, tls));
            }
        }
        if (tls) {
            wssLoadPoints = List.copyOf(points);
        } else {
            loadPoints = List.copyOf(points);
        }
        return points;
    }

    /**
     * Latency at fixed offered loads: 100 connections echoing 64-byte texts ({@code tls}: over wss://),
     * paced (open loop, timed from the intended send times), at each load of {@link #loadPoints}; p50,
     * p99 and p99.9 per load, and the stalled slices in the log.
     */
    private void latency(String server, int port, boolean tls) throws Exception {
        String reference = tls ? "wss-echo-64.msgs" : "echo-64.msgs";
        if (!results.values.getOrDefault("netty", Map.of()).containsKey(reference)
                && (tls ? wssLoadPoints : loadPoints) == null) {
            log("  latency: no Netty " + reference + " figure in this run: fixed offered loads");
        }
        for (LoadPoint point : loadPoints(tls)) {
            double rate = point.rate();
            // over TLS, 16 handshakes at a time (as wss-echo-64)
            LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, 100, 64, false, 16,
                    LoadGenerator.Kind.ECHO, 1, sources, tls ? 16 : 256).withRate(rate)
                    .withTls(tls ? TlsWire.trusting(certificate()[0]) : null);
            try (LoadGenerator generator = new LoadGenerator(config)) {
                generator.openAll(60, TimeUnit.SECONDS);
                generator.start();
                Thread.sleep(quick ? 500 : 1000);
                generator.measuring(true);
                LoadGenerator.Counters c0 = generator.counters();
                Thread.sleep(quick ? 2000 : 3000);
                LoadGenerator.Counters c1 = generator.counters();
                generator.measuring(false);
                Histogram latencies = generator.latencies();
                double achieved = (c1.messages() - c0.messages()) / ((c1.nanoTime() - c0.nanoTime()) / 1e9);
                String key = point.key();
                results.put(server, key + ".p50", latencies.percentileMicros(50));
                results.put(server, key + ".p99", latencies.percentileMicros(99));
                results.put(server, key + ".p999", latencies.percentileMicros(99.9));
                results.put(server, key + ".achieved", achieved);
                log(String.format(Locale.ROOT, "  %,9.0f msg/s offered (%s), %,9.0f echoed  p50 %,9.0f us  p99 %,9.0f us  p99.9 %,9.0f us",
                        rate, point.percent() > 0 ? point.percent() + " % of Netty" : "fixed", achieved, latencies.percentileMicros(50), latencies.percentileMicros(99),
                        latencies.percentileMicros(99.9)));
                Stalls stalls = generator.stalls();
                if (stalls != null) {
                    log("    " + stalls.summary());
                    stalls.stalled().stream().limit(12).forEach(slice -> log("      " + slice.line()));
                }
            }
        }
    }

    /**
     * The run's server certificate for wss:// (EC P-256, self-signed for localhost and 127.0.0.1, as
     * {@code ./ws echo --tls} makes one), the same for every server: {chain, key} in PEM, made once with
     * openssl.
     */
    private Path[] certificate() throws IOException {
        Path cert = out.resolve("bench-cert.pem");
        Path key = out.resolve("bench-key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(out.resolve("openssl.log").toFile()).start();
            try {
                if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                    throw new IOException("openssl could not make the benchmark certificate: see " + out.resolve("openssl.log"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making the certificate", e);
            }
        }
        return new Path[] {cert, key};
    }

    /**
     * wss:// handshakes per second (TCP, a TLS 1.3 handshake with the JDK's TLS on both sides, the
     * upgrade, close), 32 clients at once: full handshakes (no session to resume), then resumed ones
     * (each client offers its previous session).
     */
    private void wss(String server, ServerProcess process, int port) throws Exception {
        long warmup = quick ? 1000 : 2000;
        long measure = quick ? 2000 : 4000;
        TlsHandshakeLoad.Window full = new TlsHandshakeLoad(port, false).run(32, warmup, measure, process::cpuNanos);
        double resumed = new TlsHandshakeLoad(port, true).run(32, warmup / 2, measure);
        results.put(server, "wss.full", full.perSecond());
        if (!Double.isNaN(full.cpuNanosPerHandshake())) { // (none counted: no figure, not n/a)
            results.put(server, "wss.full.cpu", full.cpuNanosPerHandshake() / 1000);
        }
        results.put(server, "wss.resumed", resumed);
        log(String.format(Locale.ROOT, "  wss       %,9.0f full TLS handshakes/s (server CPU %,.0f us each), %,9.0f resumed/s "
                + "(TCP + TLS 1.3 + upgrade + close)", full.perSecond(), full.cpuNanosPerHandshake() / 1000, resumed));
    }

    /** Why a server did not start, from the end of its output: the exception's message, else the last line. */
    static String whyNotStarted(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\n");
        for (String line : lines) {
            int at = line.indexOf("Exception: ");
            if (at >= 0) {
                return line.substring(at + "Exception: ".length()).strip();
            }
        }
        return lines[lines.length - 1].strip();
    }

    private void broadcast(String server, ServerProcess process, int port) throws Exception {
        int clients = quick ? 500 : 1000;
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, clients, 64, false, 16,
                LoadGenerator.Kind.BROADCAST, threads, sources, 256);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            generator.openAll(60, TimeUnit.SECONDS);
            Thread.sleep(300); // let the server register the last connections before the first message
            generator.start();
            measure(server, process, "broadcast", generator, 64);
        }
    }

    /**
     * The measured window of a throughput profile: messages/s, MB/s, p50/p99/p99.9, and the server's
     * CPU time per message (user + system over the window, divided by the messages counted).
     */
    private void measure(String server, ServerProcess process, String profile, LoadGenerator generator, int payload)
            throws Exception {
        Thread.sleep((long) (warmupSeconds() * 1000));
        generator.measuring(true);
        long cpu0 = process.cpuNanos();
        long jit0 = process.compilerCpuNanos();
        long own0 = ServerProcess.cpuNanos(ProcessHandle.current().pid());
        LoadGenerator.Counters c0 = generator.counters();
        Thread.sleep((long) (measureSeconds() * 1000));
        LoadGenerator.Counters c1 = generator.counters();
        long cpu1 = process.cpuNanos();
        long jit1 = process.compilerCpuNanos();
        long own1 = ServerProcess.cpuNanos(ProcessHandle.current().pid());
        generator.measuring(false);
        Histogram latencies = generator.latencies();
        double seconds = (c1.nanoTime() - c0.nanoTime()) / 1e9;
        double messages = (c1.messages() - c0.messages()) / seconds;
        double megabytes = (c1.bytes() - c0.bytes()) / seconds / 1e6;
        results.put(server, profile + ".msgs", messages);
        results.put(server, profile + ".mbs", megabytes);
        results.put(server, profile + ".p50", latencies.percentileMicros(50));
        results.put(server, profile + ".p99", latencies.percentileMicros(99));
        results.put(server, profile + ".p999", latencies.percentileMicros(99.9));
        long counted = c1.messages() - c0.messages();
        double cpuPer = counted == 0 ? Double.NaN : (cpu1 - cpu0) / (double) counted;
        if (counted > 0) {
            results.put(server, profile + ".cpu", cpuPer);
        }
        // the generator's own CPU over the window, in cores: near 1 (it is pinned to one) means it was the limit
        double generatorBusy = (own1 - own0) / (double) (c1.nanoTime() - c0.nanoTime());
        results.put(server, profile + ".gen", generatorBusy);
        log(String.format(Locale.ROOT, "  %-11s %,12.0f msg/s %9.1f MB/s  p50 %,9.0f us  p99 %,9.0f us  p99.9 %,9.0f us  "
                        + "server CPU %,.0f ns/msg (JIT %.0f %%), generator busy %.2f of a core  (%d connections open)",
                profile, messages, megabytes, latencies.percentileMicros(50), latencies.percentileMicros(99),
                latencies.percentileMicros(99.9), cpuPer, cpu1 == cpu0 ? 0.0 : 100.0 * (jit1 - jit0) / (cpu1 - cpu0),
                generatorBusy, generator.openConnections()));
    }

    private void idle(String server, ServerProcess process, int port) throws Exception {
        int connections = idleConnections;
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, connections, 64, false, 1,
                LoadGenerator.Kind.IDLE, threads, sources, 512);
        // Warm-up rounds open and close as many connections: classes loaded, pools and heap regions
        // touched, the handshake path compiled. One round is not enough for that: C2 still compiles it
        // through the second round, on the server's one core, for about half of its CPU per handshake
        // (docs/performance.md, "Plain handshakes, round three"), so the full run measures the third.
        int threadsBefore = process.threads();
        int filesBefore = process.openFiles();
        int warmups = quick ? 1 : 2;
        // a bound only: in a software-emulated guest (bench/idle-vm) the first round opens ~150 a second while the JIT compiles
        long openSeconds = Math.max(120, connections / 50);
        for (int round = 1; round <= warmups; round++) {
            try (LoadGenerator warm = new LoadGenerator(config)) {
                LoadGenerator.OpenResult first = warm.open(openSeconds, TimeUnit.SECONDS);
                log(String.format(Locale.ROOT, "  idle warm-up %d: %d open, %d failed, %,.0f handshakes/s%s", round,
                        first.opened(), first.failed(), first.handshakesPerSecond(),
                        first.firstError() == null ? "" : " (" + first.firstError() + ")"));
            }
            Thread.sleep(quick ? 1000 : 2000);
        }
        process.settle(filesBefore + 20, threadsBefore + 20, 30);
        long heapBefore = process.liveHeapAfterFullGc();
        long rssBefore = process.rss();
        try (LoadGenerator generator = new LoadGenerator(config)) {
            long cpu0 = process.cpuNanos();
            long jit0 = process.compilerCpuNanos();
            long own0 = ServerProcess.cpuNanos(ProcessHandle.current().pid());
            LoadGenerator.OpenResult open = generator.open(openSeconds, TimeUnit.SECONDS);
            long cpu1 = process.cpuNanos();
            long jit1 = process.compilerCpuNanos();
            long own1 = ServerProcess.cpuNanos(ProcessHandle.current().pid());
            double cpuPer = (cpu1 - cpu0) / 1000.0 / open.opened();
            // what the JIT still compiles in the measured round: its share, and the rest
            double jitPer = (jit1 - jit0) / 1000.0 / open.opened();
            // the generator's own CPU while opening, in cores: near 1 (it is pinned to one) means it was the limit
            double generatorBusy = (own1 - own0) / (double) open.nanos();
            if (open.opened() > 0) {
                results.put(server, "idle.hs.cpu", cpuPer);
                results.put(server, "idle.hs.jit", jitPer);
                results.put(server, "idle.hs.cpu.nojit", cpuPer - jitPer);
                results.put(server, "idle.gen", generatorBusy);
            }
            if (open.opened() < connections) {
                throw new IOException("opened " + open.opened() + " of " + connections + ": " + open.firstError());
            }
            Thread.sleep(1000);
            long heapAfter = process.liveHeapAfterFullGc();
            long rssAfter = process.rss();
            int stillOpen = generator.openConnections();
            String histogram = process.classHistogram(40);
            if (histogram != null) {
                Files.writeString(out.resolve("server-" + server + "-idle-histogram.txt"), histogram);
            }
            double heapPer = (heapAfter - heapBefore) / (double) connections;
            double rssPer = (rssAfter - rssBefore) / (double) connections;
            results.put(server, "idle.hs", open.handshakesPerSecond());
            results.put(server, "idle.heap", heapPer);
            results.put(server, "idle.rss", rssPer);
            log(String.format(Locale.ROOT, "  idle      %,d connections (%d still open): %,.0f handshakes/s "
                            + "(server CPU %,.0f us each, %,.0f of them the JIT's; generator busy %.2f of a core), live heap %,.0f B/conn (%,d -> %,d), RSS %,.0f B/conn (%,d -> %,d)",
                    connections, stillOpen, open.handshakesPerSecond(), cpuPer, jitPer, generatorBusy, heapPer, heapBefore, heapAfter, rssPer,
                    rssBefore, rssAfter));
        }
        // the next profile starts from a server that has let go of these connections, as the measured
        // round started after the warm-ups' (a thread-per-connection server ends up to 10,000 threads)
        process.settle(filesBefore + 20, threadsBefore + 20, 30);
    }

    /**
     * As many idle connections as this machine lets one process hold: the target is 50,000, but a
     * process may not open more files than the hard limit of open files, which the benchmark cannot
     * raise (it needs CAP_SYS_RESOURCE), so the count is that limit less a margin.
     */
    private void capacity(String server, ServerProcess process, int port) throws Exception {
        long limit = openFilesLimit();
        int connections = (int) Math.min(50_000, limit - 600);
        if (quick) {
            connections = Math.min(connections, 5_000);
        }
        Thread.sleep(1000);
        long heapBefore = process.liveHeapAfterFullGc();
        long rssBefore = process.rss();
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, connections, 64, false, 1,
                LoadGenerator.Kind.IDLE, threads, sources, 512);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            LoadGenerator.OpenResult open = generator.open(180, TimeUnit.SECONDS);
            Thread.sleep(1000);
            long heapAfter = process.liveHeapAfterFullGc();
            long rssAfter = process.rss();
            results.put(server, "capacity.conns", open.opened());
            results.put(server, "capacity.hs", open.handshakesPerSecond());
            results.put(server, "capacity.heap", (heapAfter - heapBefore) / (double) Math.max(1, open.opened()));
            results.put(server, "capacity.rss", (rssAfter - rssBefore) / (double) Math.max(1, open.opened()));
            log(String.format(Locale.ROOT, "  capacity  %,d of %,d connections open (open files limit %,d), %,.0f handshakes/s, "
                            + "live heap %,.0f B/conn, RSS %,.0f B/conn%s", open.opened(), connections, limit,
                    open.handshakesPerSecond(), (heapAfter - heapBefore) / (double) Math.max(1, open.opened()),
                    (rssAfter - rssBefore) / (double) Math.max(1, open.opened()),
                    open.firstError() == null ? "" : " (" + open.firstError() + ")"));
        }
        Thread.sleep(1000);
    }

    /** The soft limit of open files of this process (the servers inherit it). */
    static long openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return 1024;
    }

    private int freePort() throws IOException {
        int port = ServerProcess.freePort(nextPort);
        nextPort = port + 1;
        return port;
    }

    static String machine() {
        StringBuilder text = new StringBuilder();
        text.append(cores()).append(" cores");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    text.append(", ").append(line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    text.append(String.format(Locale.ROOT, ", %.0f GiB", kb / 1024.0 / 1024.0));
                    break;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        text.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"));
        text.append(", JDK ").append(Runtime.version());
        text.append(", ").append(Instant.now());
        return text.toString();
    }

    /** The machine's processors (this JVM may be pinned to fewer: availableProcessors would say 1). */
    static long cores() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("processor")).count();
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The figures of a run: server, then metric, then value; and what failed. */
    static final class Results {
        final Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        final Map<String, List<String>> errors = new LinkedHashMap<>();

        void put(String server, String metric, double value) {
            values.computeIfAbsent(server, s -> new LinkedHashMap<>()).put(metric, value);
        }

        void error(String server, String message) {
            errors.computeIfAbsent(server, s -> new ArrayList<>()).add(message);
        }

        Double get(String server, String metric) {
            Map<String, Double> m = values.get(server);
            return m == null ? null : m.get(metric);
        }
    }
}
