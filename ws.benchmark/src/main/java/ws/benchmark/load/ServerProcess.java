package ws.benchmark.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server under test in its own process (a JVM, or Node): started, waited for until it accepts,
 * measured (RSS from {@code /proc/PID/status}; live heap after a full GC through {@code jcmd} for a
 * JVM, through a SIGUSR2 handler for Node), and stopped.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern NODE_HEAP = Pattern.compile("HEAP (\\d+)");

    private final String name;
    private final Process process;
    private final Path log;
    private final boolean node;
    private final Path jcmd;

    private ServerProcess(String name, Process process, Path log, boolean node, Path jcmd) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.node = node;
        this.jcmd = jcmd;
    }

    /**
     * {@code taskset -c 0}: the server under test on CPU 0 alone, as servers are deployed (one core
     * each); {@code ./bench/run} puts the load generator on CPU 1.
     */
    static List<String> pinned() {
        return pinned("0");
    }

    /** {@code taskset -c CPU}; nothing where taskset (util-linux) is missing or the machine has one CPU. */
    static List<String> pinned(String cpu) {
        boolean taskset = Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset"));
        return taskset && BenchMain.cores() >= 2 ? List.of("taskset", "-c", cpu) : List.of();
    }

    /**
     * The command that runs one of our server commands ({@code ws echo}, {@code ws broadcast}) from
     * the repository's build, on the module path: {@code jvm} (the java binary and its options),
     * then {@code ws.cli} with {@code mode}, the port, the transport, and {@code options}.
     */
    static List<String> ours(Path root, List<String> jvm, String mode, int port, String transport, List<String> options)
            throws IOException {
        StringBuilder modulePath = new StringBuilder(root.resolve("ws.cli/target/modules").toString());
        try (var jars = Files.list(root.resolve("ws.cli/target"))) {
            jars.filter(p -> p.getFileName().toString().matches("ws\\.cli-.*\\.jar")
                            && !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                    .forEach(p -> modulePath.append(':').append(p));
        }
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "--module-path", modulePath.toString(),
                "--module", "ws.cli/ws.cli.Main", mode, "--port", Integer.toString(port), "--transport", transport));
        command.addAll(options);
        return command;
    }

    /** The first port from {@code from} on that 127.0.0.1 can bind now. */
    static int freePort(int from) throws IOException {
        for (int port = from; port < 65536; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: the next one
            }
        }
        throw new IOException("no free port from " + from);
    }

    /**
     * How long a server may take to start listening, in seconds: 30, or the system property
     * {@code ws.bench.startSeconds} (bench/idle-vm's software-emulated guest starts a JVM in more).
     */
    static final long START_SECONDS = Long.getLong("ws.bench.startSeconds", 30);

    /** Starts {@code command}, output to {@code log}, and waits (up to START_SECONDS) until it says "listening on" and the port accepts. */
    static ServerProcess start(String name, List<String> command, Path log, int port, boolean node, Path jcmd)
            throws IOException, InterruptedException {
        return start(name, command, log, port, node, jcmd, "listening on");
    }

    /** As above, waiting for {@code ready} in its output (null: for the port alone) before the port accepts. */
    static ServerProcess start(String name, List<String> command, Path log, int port, boolean node, Path jcmd, String ready)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        ServerProcess server = new ServerProcess(name, process, log, node, jcmd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + server.tail());
            }
            if (ready == null || Files.readString(log).contains(ready)) {
                if (accepts(port)) {
                    return server;
                }
            }
            Thread.sleep(50);
        }
        server.close();
        throw new IOException(name + " did not start listening on " + port + " within " + START_SECONDS + " s: " + server.tail());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The resident set size in bytes (VmRSS). */
    long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    /**
     * The CPU time the server process has used so far, user and system, in nanoseconds ({@code utime}
     * and {@code stime} of {@code /proc/PID/stat}, in clock ticks): the difference over a measured
     * window, divided by what the window counted, is its CPU per message or per handshake, which the
     * load of a shared machine moves far less than a rate.
     */
    long cpuNanos() throws IOException {
        return cpuNanos(process.pid());
    }

    /**
     * The CPU time the server's JIT compiler threads have used so far (HotSpot's {@code C1/C2
     * CompilerThreadN}, from {@code /proc/PID/task/TID/stat}), in nanoseconds; 0 for a server without
     * them (Node). A window that starts before the JIT is done with the measured path counts its
     * compilations in {@link #cpuNanos}, and a pinned server's compiler shares its one core.
     */
    long compilerCpuNanos() throws IOException {
        long total = 0;
        long ticks = ticksPerSecond();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        total += cpuNanos(Files.readString(task.resolve("stat")), ticks);
                    }
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return total;
    }

    /** The CPU time process {@code pid} has used so far (this one's own too), user and system, in nanoseconds. */
    static long cpuNanos(long pid) throws IOException {
        return cpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), ticksPerSecond());
    }

    /** utime + stime of a {@code /proc/PID/stat} line, in nanoseconds (fields 14 and 15, after the command in parentheses). */
    static long cpuNanos(String stat, long ticksPerSecond) throws IOException {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IOException("not a /proc/PID/stat line: " + stat);
        }
        String[] fields = stat.substring(end + 2).trim().split("\\s+"); // fields[0] is field 3 (state)
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return ticks * 1_000_000_000L / ticksPerSecond;
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}, asked once; 100 where it cannot be asked). */
    static long ticksPerSecond() {
        return Clock.TICKS;
    }

    private static final class Clock {
        static final long TICKS = ask();

        private static long ask() {
            try {
                return Long.parseLong(run(List.of("getconf", "CLK_TCK")).trim());
            } catch (IOException | NumberFormatException e) {
                return 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 100;
            }
        }
    }

    /** The number of threads of the server process (Threads in /proc/PID/status). */
    int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no Threads for " + process.pid());
    }

    /** The number of open file descriptors of the server process (entries of /proc/PID/fd). */
    int openFiles() throws IOException {
        try (var entries = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return (int) entries.count();
        }
    }

    /**
     * Waits until the server has let go of connections the client closed: its open files back to at
     * most {@code files} (a socket each) and its threads to at most {@code threads} (a
     * thread-per-connection server ends one per connection), for at most {@code seconds}.
     */
    void settle(int files, int threads, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline && (openFiles() > files || threads() > threads)) {
            Thread.sleep(100);
        }
    }

    /** Runs a full GC in the server and returns the heap in use after it, in bytes. */
    long liveHeapAfterFullGc() throws IOException, InterruptedException {
        if (node) {
            long before = Files.size(log);
            new ProcessBuilder("kill", "-USR2", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (Files.size(log) > before) {
                    String added = Files.readString(log).substring((int) before);
                    Matcher m = NODE_HEAP.matcher(added);
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
                Thread.sleep(50);
            }
            throw new IOException("node did not report its heap");
        }
        run(List.of(jcmd.toString(), Long.toString(process.pid()), "GC.run"));
        String info = run(List.of(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info"));
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new IOException("no heap figure in: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** The top of the server's class histogram (live objects), for a JVM; null for Node. */
    String classHistogram(int lines) throws IOException, InterruptedException {
        if (node) {
            return null;
        }
        String all = run(List.of(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram"));
        return String.join("\n", all.lines().limit(lines).toList()) + "\n";
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return out;
    }

    /** The last lines of the server's output. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
