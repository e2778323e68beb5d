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
 *   <li><b>cluster</b>: two nodes of each kind (ours with ws.events.redis, Node with
 *       {@code @socket.io/redis-adapter}, both in its default pub/sub mode) on one {@code redis-server}
 *       started here (on CPU 1, with this generator; both nodes on CPU 0); 1,000 clients in one room,
 *       500 on each node (alternately), the sender on node A. First events delivered per second
 *       (16 in flight, after a 12-second warm-up: two JVMs compile on one core), then, one event in
 *       flight at a time, the latency of each copy on node A (no Redis hop) and on node B (through
 *       Redis): the difference is what the cross-node hop adds.</li>
 * </ul>
 * Writes {@code events.md} and {@code events.csv} to the output folder.
 * Usage: {@code EventsBenchMain --root DIR --out DIR [--quick] [--jfr] [--profiles broadcast,acks,cluster]} ({@code --jfr}: a JFR profile of our server).
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
    /** The cluster's hop latencies: server -> [p50 A, p99 A, p50 B, p99 B] in microseconds. */
    private final Map<String, double[]> hops = new LinkedHashMap<>();

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
        List<String> profiles = List.of("broadcast", "acks", "cluster");
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
            if (!profiles.contains("broadcast") && !profiles.contains("acks")) {
                break;
            }
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
        if (profiles.contains("cluster")) {
            for (String server : List.of(OURS, NODE)) {
                try {
                    cluster(server);
                } catch (Exception e) {
                    errors.add(server + " cluster: " + e.getMessage());
                    log("  cluster FAILED: " + e);
                }
            }
        }
        String table = table();
        Files.writeString(out.resolve("events.md"), table);
        Files.writeString(out.resolve("events.csv"), csv());
        System.out.print(table);
    }

    private List<String> command(String server, int port) {
        return command(server, port, null);
    }

    /** The server's command, pinned to CPU 0; with {@code redis}, a node of a cluster on that Redis. */
    private List<String> command(String server, int port, String redis) {
        List<String> command = new ArrayList<>(ServerProcess.pinned());
        if (server.equals(NODE)) {
            command.addAll(List.of("node", root.resolve("bench/node/socketio-server.mjs").toString(), Integer.toString(port)));
            if (redis != null) {
                command.add(redis);
            }
        } else {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = root.resolve("ws.benchmark/target/classes") + ":" + root.resolve("ws.benchmark/target/lib") + "/*";
            command.addAll(List.of(java, "-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
            if (jfr) {
                command.add("-XX:StartFlightRecording=filename=" + out.resolve("events-ours.jfr") + ",settings=profile");
            }
            command.addAll(List.of("-cp", classPath, "ws.benchmark.peers.EventsServer", Integer.toString(port), "virtual"));
            if (redis != null) {
                command.add(redis);
            }
        }
        return command;
    }

    /**
     * Two nodes of {@code server} on a fresh redis-server: the room broadcast across them, then the
     * hop latency (see the class comment).
     */
    private void cluster(String server) throws Exception {
        String kind = server.equals(OURS) ? "ours" : "node";
        int redisPort = freePort();
        List<String> redisCommand = new ArrayList<>(ServerProcess.pinned("1"));
        redisCommand.addAll(List.of("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--loglevel", "warning"));
        String redis = "redis://127.0.0.1:" + redisPort;
        int portA = freePort();
        int portB = freePort();
        log("events cluster: " + server + ", nodes on ports " + portA + " and " + portB + " (CPU 0), redis-server on "
                + redisPort + " (CPU 1)");
        try (ServerProcess redisProcess = ServerProcess.start("redis-server", redisCommand,
                out.resolve("events-cluster-redis.log"), redisPort, false, null, null);
             ServerProcess a = ServerProcess.start(server + " A", command(server, portA, redis),
                     out.resolve("events-cluster-" + kind + "-a.log"), portA, server.equals(NODE), null);
             ServerProcess b = ServerProcess.start(server + " B", command(server, portB, redis),
                     out.resolve("events-cluster-" + kind + "-b.log"), portB, server.equals(NODE), null)) {
            int clients = quick ? 500 : 1000;
            LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", List.of(portA, portB), clients, 64, 16,
                    LoadGenerator.Kind.BROADCAST, 1, 128);
            try (LoadGenerator generator = new LoadGenerator(config)) {
                generator.openAll(90, TimeUnit.SECONDS);
                generator.start();
                // two JVMs (or two Node processes) compile on one core: a longer warm-up, the same for both
                measure(server, "room broadcast across 2 nodes and Redis (" + clients + " clients, " + clients / 2
                        + " per node)", "events delivered/s", generator, List.of(a, b), quick ? 5 : 12);
                generator.window(1);
                Thread.sleep(1000); // the 16 in flight drain
                generator.measuring(true);
                Thread.sleep((long) ((quick ? 3 : 8) * 1000));
                generator.measuring(false);
                Histogram onA = generator.latencies(0);
                Histogram onB = generator.latencies(1);
                double[] hop = {onA.percentileMicros(50), onA.percentileMicros(99), onB.percentileMicros(50),
                        onB.percentileMicros(99)};
                hops.put(server, hop);
                log(String.format(Locale.ROOT, "  one event at a time: on node A p50 %,.0f us, p99 %,.0f us; on node B "
                        + "(through Redis) p50 %,.0f us, p99 %,.0f us; the hop adds %,.0f us (p50), %,.0f us (p99)",
                        hop[0], hop[1], hop[2], hop[3], hop[2] - hop[0], hop[3] - hop[1]));
            }
        }
    }

    private void roomBroadcast(String server, int port, ServerProcess process) throws Exception {
        int clients = quick ? 500 : 1000;
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, clients, 64, false, 16,
                LoadGenerator.Kind.BROADCAST, 1, List.of(), 128, true);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            generator.openAll(90, TimeUnit.SECONDS);
            generator.start();
            measure(server, "room broadcast (" + clients + " clients)", "events delivered/s", generator, List.of(process),
                quick ? 1.5 : 3);
        }
    }

    private void acks(String server, int port, ServerProcess process) throws Exception {
        LoadGenerator.Config config = new LoadGenerator.Config("127.0.0.1", port, 100, 64, false, 8,
                LoadGenerator.Kind.ECHO, 1, List.of(), 128, true);
        try (LoadGenerator generator = new LoadGenerator(config)) {
            generator.openAll(60, TimeUnit.SECONDS);
            generator.start();
            measure(server, "acks (100 clients x 8 in flight)", "acks/s", generator, List.of(process), quick ? 1.5 : 3);
        }
    }

    /**
     * The rate over the measured seconds, the latencies, and the server's CPU time per event in that
     * window: on a machine shared with other work the rate moves with the CPU the server gets, the
     * CPU time per event much less.
     */
    private void measure(String server, String profile, String unit, LoadGenerator generator, List<ServerProcess> processes,
                         double warmUpSeconds) throws Exception {
        Thread.sleep((long) (warmUpSeconds * 1000));
        generator.measuring(true);
        LoadGenerator.Counters before = generator.counters();
        long cpuBefore = cpuNanos(processes);
        Thread.sleep((long) ((quick ? 3 : 8) * 1000));
        LoadGenerator.Counters after = generator.counters();
        long cpuAfter = cpuNanos(processes);
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

    /** The server processes' CPU time (user and system) so far, summed, or -1 where the OS does not say. */
    private static long cpuNanos(List<ServerProcess> processes) {
        long sum = 0;
        for (ServerProcess process : processes) {
            long nanos = ProcessHandle.of(process.pid()).flatMap(handle -> handle.info().totalCpuDuration())
                    .map(java.time.Duration::toNanos).orElse(-1L);
            if (nanos < 0) {
                return -1;
            }
            sum += nanos;
        }
        return sum;
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
        if (!hops.isEmpty()) {
            md.append("\nCross-node hop (cluster, one event in flight, 64-byte events to the room): latency of each copy "
                    + "from its emit on node A to a client on node A and to a client on node B (through Redis).\n\n");
            md.append("| server | on A p50 / p99 | on B p50 / p99 | the hop adds, p50 / p99 |\n|---|---|---|---|\n");
            hops.forEach((server, hop) -> md.append(String.format(Locale.ROOT,
                    "| %s | %,.0f / %,.0f us | %,.0f / %,.0f us | %,.0f / %,.0f us |%n",
                    server, hop[0], hop[1], hop[2], hop[3], hop[2] - hop[0], hop[3] - hop[1])));
            md.append("\nThe cluster: both nodes on CPU 0, redis-server on CPU 1 with this generator; the CPU per event "
                    + "is both nodes' together.\n");
        }
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
