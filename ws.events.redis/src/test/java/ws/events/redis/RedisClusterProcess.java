package ws.events.redis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three primaries (no replicas) on free loopback ports: three
 * {@code redis-server --cluster-enabled yes}, joined by {@code redis-cli --cluster create}, which
 * gives each a third of the 16,384 slots (0-5460, 5461-10922, 10923-16383).
 */
final class RedisClusterProcess implements AutoCloseable {
    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    static RedisClusterProcess start() throws Exception {
        RedisClusterProcess cluster = new RedisClusterProcess();
        try {
            cluster.startServers();
            cluster.create();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** A URI of one of its nodes (the cluster client finds the others). */
    String uri() {
        return "redis://127.0.0.1:" + ports.getFirst();
    }

    private void startServers() throws Exception {
        for (int i = 0; i < 3; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path dir = Files.createTempDirectory("redis-cluster-" + port);
            servers.add(new ProcessBuilder(List.of(RedisProcess.binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start());
            ports.add(port);
        }
        for (int port : ports) {
            await(() -> cli(port, "PING").contains("PONG"), "redis-server on " + port + " answers PING");
        }
    }

    private void create() throws Exception {
        List<String> command = new ArrayList<>(List.of(cli(), "--cluster", "create"));
        ports.forEach(port -> command.add("127.0.0.1:" + port));
        command.add("--cluster-yes");
        String output = run(command);
        if (!output.contains("All 16384 slots covered")) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
        }
        for (int port : ports) {
            await(() -> cli(port, "CLUSTER", "INFO").contains("cluster_state:ok"), "the cluster state on " + port);
        }
    }

    private String cli(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cli(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("waited 60 s for " + what);
    }

    private static String cli() {
        return RedisProcess.tool("redis-cli");
    }

    @Override
    public void close() throws InterruptedException {
        for (Process server : servers) {
            server.destroyForcibly();
        }
        for (Process server : servers) {
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
