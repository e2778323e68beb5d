package ws.benchmark.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The events benchmark: our event server (ws.events) against the npm socket.io v4 server, both
 * speaking Socket.IO v5, in the same run, each server pinned to CPU 0 ({@code taskset -c 0}) while
 * this generator runs on the other CPU ({@code bench/run} starts it with {@code taskset -c 1}).
 *
 * <ul>
 *   <li><b>room broadcast</b>: 1,000 clients join one room; one of them publishes events (16 in
 *       flight, an event being in flight until all 1,000 copies arrived) that the server emits to
 *       the room; the figure is events delivered per second (copies received over all clients), with
 *       the latency of every copy from its publication.</li>
 *   <li><b>acks</b>: 100 clients each keep 8 events with an ack id in flight; the server's handler
 *       acknowledges each with its argument; the figure is acknowledgements per second, with the
 *       round trip of each.</li>
 * </ul>
 * Writes {@code events.md} and {@code events.csv} to the output folder.
 * Usage: {@code EventsBenchMain --root DIR --out DIR [--quick] [--jfr] [--profiles broadcast,acks]} ({@code --jfr}: a JFR profile of our server).
 */
public final class EventsBenchMain {
    private static final String OURS = "ours (ws.events)";
    private static final String NODE = "node socket.io";

    private final Path root;
    private final Path out;
    private final boolean quick;
    private final boolean jfr;
    private final List<String> profiles;
    private final Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private EventsBenchMain(Path root, Path out, boolean quick, boolean jfr, List<String> profiles) {
        this.root = root;
        this.out = out;
        this.quick = quick;
        this.jfr = jfr;
        this.profiles = profiles;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        Path out = Path.of("ws.benchmark/target/bench");
        boolean quick = false;
        boolean jfr = false;
        List<String> profiles = List.of("broadcast", "acks");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--profiles" -> profiles = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        new EventsBenchMain(root.toAbsolutePath().normalize(), out.toAbsolutePath().normalize(), quick, jfr, profiles).run();
    }

    private void run() throws Exception {
        for (String server : List.of(OURS, NODE)) {
            int port = freePort();
            Path log = out.resolve("events-" + (server.equals(OURS) ? "ours" : "node") + ".log");
            log("events: " + server + " on port " + port + " (CPU 0)");
            try (ServerProcess process = ServerProcess.start(server, command(server, port), log, port,
                    server.equals(NODE), null)) {
                if (profiles.contains("broadcast")) {
                    try {
                        roomBroadcast(server, port, process);
                    } catch (Exception e) {
                        errors.add(server + " room broadcast: " + e.getMessage());
                        log("  room broadcast FAILED: " + e);
                    }
                }
                if (profiles.contains("acks")) {
                    try {
                        acks(server, port, process);
                    } catch (Exception e) {
                        errors.add(server + " acks: " + e.getMessage());
                        log("  acks FAILED: " + e);
                    }
                }
            }
        }
        String table = table();
        Files.writeString(out.resolve("events.md"), table);
        Files.writeString(out.resolve("events.csv"), csv());
        System.out.print(table);
    }

    private List<String> command(String server, int port) {
        List<String> command = new ArrayList<>(ServerProcess.pinned());
        if (server.equals(NODE)) {
            command.addAll(List.of("node", root.resolve("bench/node/socketio-server.mjs").toString(), Integer.toString(port)));
        } else {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = root.resolve("ws.benchmark/target/classes") + ":" + root.resolve("ws.benchmark/target/lib") + "/*";
            command.addAll(List.of(java, "-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            if (jfr) {
                command.add("-XX:StartFlightRecording=filename=" + out.resolve("events-ours.jfr") + ",settings=profile");
            }
            command.addAll(List.of("-cp", classPath, "ws.benchmark.peers.EventsServer", Integer.toString(port), "virtual"));
        }
        return command;
    }

    private void roomBroadcast(String server, int port, ServerProcess process) throws Exception {
        int clients = quick ? 500 : 1000;
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, clients, 64, false, 16,
                LoadGenerator.Kind.BROADCAST, 1, List.of(), 128, true);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            LoadGenerator.OpenResult open = generator.open(90, TimeUnit.SECONDS);
            if (open.opened() < clients) {
                throw new IOException("opened " + open.opened() + " of " + clients + ": " + open.firstError());
            }
            generator.start();
            measure(server, "room broadcast (" + clients + " clients)", "events delivered/s", generator, process);
        }
    }

    private void acks(String server, int port, ServerProcess process) throws Exception {
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, 100, 64, false, 8,
                LoadGenerator.Kind.ECHO, 1, List.of(), 128, true);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            LoadGenerator.OpenResult open = generator.open(60, TimeUnit.SECONDS);
            if (open.opened() < 100) {
                throw new IOException("opened " + open.opened() + " of 100: " + open.firstError());
            }
            generator.start();
            measure(server, "acks (100 clients x 8 in flight)", "acks/s", generator, process);
        }
    }

    /**
     * The rate over the measured seconds, the latencies, and the server's CPU time per event in that
     * window: on a machine shared with other work the rate moves with the CPU the server gets, the
     * CPU time per event much less.
     */
    private void measure(String server, String profile, String unit, LoadGenerator generator, ServerProcess process)
            throws Exception {
        Thread.sleep((long) ((quick ? 1.5 : 3) * 1000)); // warm-up
        generator.measuring(true);
        LoadGenerator.Counters before = generator.counters();
        long cpuBefore = cpuNanos(process);
        Thread.sleep((long) ((quick ? 3 : 8) * 1000));
        LoadGenerator.Counters after = generator.counters();
        long cpuAfter = cpuNanos(process);
        generator.measuring(false);
        Histogram latencies = generator.latencies();
        long events = after.messages() - before.messages();
        double rate = events / ((after.nanoTime() - before.nanoTime()) / 1e9);
        double cpuMicrosPerEvent = cpuBefore < 0 || cpuAfter < 0 || events == 0 ? Double.NaN
                : (cpuAfter - cpuBefore) / 1e3 / events;
        Map<String, Double> row = results.computeIfAbsent(profile + "|" + unit, k -> new LinkedHashMap<>());
        row.put(server + ".rate", rate);
        row.put(server + ".p50", latencies.percentileMicros(50));
        row.put(server + ".p99", latencies.percentileMicros(99));
        row.put(server + ".cpu", cpuMicrosPerEvent);
        log(String.format(Locale.ROOT, "  %s: %,.0f %s, p50 %,.0f us, p99 %,.0f us, server CPU %.2f us per event", profile,
                rate, unit, latencies.percentileMicros(50), latencies.percentileMicros(99), cpuMicrosPerEvent));
    }

    /** The server process's CPU time (user and system) so far, or -1 where the OS does not say. */
    private static long cpuNanos(ServerProcess process) {
        return ProcessHandle.of(process.pid()).flatMap(handle -> handle.info().totalCpuDuration())
                .map(java.time.Duration::toNanos).orElse(-1L);
    }

    private String table() {
        StringBuilder md = new StringBuilder();
        md.append("| profile | ours (ws.events) | node socket.io | ratio | p50 ours / node | p99 ours / node "
                + "| server CPU per event, ours / node | ratio by CPU |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        results.forEach((key, row) -> {
            String[] parts = key.split("\\|");
            double ours = row.getOrDefault(OURS + ".rate", Double.NaN);
            double node = row.getOrDefault(NODE + ".rate", Double.NaN);
            double oursCpu = row.getOrDefault(OURS + ".cpu", Double.NaN);
            double nodeCpu = row.getOrDefault(NODE + ".cpu", Double.NaN);
            md.append(String.format(Locale.ROOT,
                    "| %s, %s | %,.0f | %,.0f | **%.2fx** | %,.0f / %,.0f us | %,.0f / %,.0f us | %.2f / %.2f us | %.2fx |%n",
                    parts[0], parts[1], ours, node, ours / node,
                    row.getOrDefault(OURS + ".p50", Double.NaN), row.getOrDefault(NODE + ".p50", Double.NaN),
                    row.getOrDefault(OURS + ".p99", Double.NaN), row.getOrDefault(NODE + ".p99", Double.NaN),
                    oursCpu, nodeCpu, nodeCpu / oursCpu));
        });
        md.append("\nServers on CPU 0 (taskset -c 0), this generator on CPU 1; Socket.IO v5 over WebSocket, no compression.\n");
        for (String error : errors) {
            md.append("\nFAILED: ").append(error).append('\n');
        }
        return md.toString();
    }

    private String csv() {
        StringBuilder csv = new StringBuilder("profile,unit,server,rate,p50_us,p99_us,cpu_us_per_event\n");
        results.forEach((key, row) -> {
            String[] parts = key.split("\\|");
            for (String server : List.of(OURS, NODE)) {
                csv.append(String.format(Locale.ROOT, "\"%s\",\"%s\",\"%s\",%.0f,%.0f,%.0f,%.3f%n", parts[0], parts[1], server,
                        row.getOrDefault(server + ".rate", Double.NaN), row.getOrDefault(server + ".p50", Double.NaN),
                        row.getOrDefault(server + ".p99", Double.NaN), row.getOrDefault(server + ".cpu", Double.NaN)));
            }
        });
        return csv.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
