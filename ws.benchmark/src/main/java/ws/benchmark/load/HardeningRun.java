package ws.benchmark.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the three hardening checks ({@link SoakMain}, {@link ChurnMain}, {@link SlowConsumersMain})
 * share: their command line ({@code --root DIR --out DIR --transports a,b} and each check's own
 * {@code --name value} options), the server JVM they start, the report's failure lines, and the
 * end: {@code NAME.md} written, the report printed with the verdict, exit 0 when every run passed,
 * else 1.
 */
final class HardeningRun {
    /** One check's run on one transport: appends its section to the report, returns whether it passed. */
    @FunctionalInterface
    interface Check {
        boolean run(String transport, StringBuilder report) throws Exception;
    }

    final Path root;
    final Path out;
    final List<String> transports;
    private final Map<String, String> options;

    private HardeningRun(Map<String, String> options) {
        this.options = options;
        this.root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        this.out = Path.of(options.getOrDefault("out", "target/hardening")).toAbsolutePath();
        this.transports = list("transports", List.of("blocking", "virtual"));
    }

    /**
     * Reads {@code --name value} pairs: {@code --root}, {@code --out}, {@code --transports} and the
     * check's own {@code names}.
     *
     * @throws IllegalArgumentException for another option, or one without its value
     */
    static HardeningRun parse(String[] args, String... names) {
        Set<String> known = new java.util.HashSet<>(List.of("root", "out", "transports"));
        known.addAll(List.of(names));
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            options.put(name, args[++i]);
        }
        return new HardeningRun(options);
    }

    int integer(String name, int fallback) {
        String value = options.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    double number(String name, double fallback) {
        String value = options.get(name);
        return value == null ? fallback : Double.parseDouble(value);
    }

    /** A comma-separated option. */
    List<String> list(String name, List<String> fallback) {
        String value = options.get(name);
        return value == null ? fallback : List.of(value.split(","));
    }

    /**
     * Runs {@code check} on each transport, then writes {@code NAME.md}, prints the report and the
     * verdict ({@code NAME: PASS} or {@code NAME: FAIL}) and exits with 0 or 1.
     */
    void runEachTransport(String name, Check check) throws Exception {
        Files.createDirectories(out);
        StringBuilder report = new StringBuilder();
        boolean pass = true;
        for (String transport : transports) {
            pass &= check.run(transport, report);
        }
        Files.writeString(out.resolve(name + ".md"), report);
        System.out.println();
        System.out.print(report);
        System.out.println(name + (pass ? ": PASS" : ": FAIL"));
        System.exit(pass ? 0 : 1);
    }

    /** The server's JVM: pinned to CPU 0, this JDK, a 512 MB to 2 GB heap, G1. */
    static List<String> serverJvm() {
        List<String> jvm = new ArrayList<>(ServerProcess.pinned());
        jvm.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms512m", "-Xmx2g",
                "-XX:+UseG1GC"));
        return jvm;
    }

    /** This JDK's {@code jcmd}, which samples the server. */
    static Path jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd");
    }

    /** Where the run ran, short enough for a chart's subtitle. */
    static String subtitle(String server) {
        return String.format(Locale.ROOT, "%s on CPU 0, the load generator on CPU 1 (taskset), %d cores shared with other jobs, JDK %s, %s",
                server, BenchMain.cores(), Runtime.version().feature(), java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    }

    /** Ends a run's section: a {@code - FAILED: } line for each failure, then a blank line. */
    static void appendFailures(StringBuilder report, List<String> failures) {
        for (String failure : failures) {
            report.append("- FAILED: ").append(failure).append('\n');
        }
        report.append('\n');
    }
}
