package ws.benchmark.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the hot-path benchmarks and prints, for each, the bytes per second it reaches next to the
 * memory-copy baseline of the same size measured in the same run, and the bytes it allocates per
 * operation (JMH's gc profiler; for {@link EchoBenchmark} an operation is one echoed message, for
 * {@link HandshakeBenchmark} one connection's handshake and end):
 * {@code JmhMain [--quick] [--out DIR]}. Writes {@code jmh.md} and {@code jmh.csv} into DIR.
 */
public final class JmhMain {
    /** Payload bytes one operation handles, by benchmark (and parameter). */
    private static long bytesPerOp(String benchmark, Map<String, String> params) {
        return switch (benchmark) {
            case "MemoryCopyBenchmark.copy" -> Long.parseLong(params.get("size"));
            case "HandshakeParseBenchmark.parseAndValidate" -> HandshakeParseBenchmark.REQUEST.length;
            case "Utf8Benchmark.validate" -> params.get("text").equals("ascii") ? 65536 : Payloads.mixedUtf8(65536).length;
            case "FrameReadBenchmark.readAndUnmask", "FrameWriteBenchmark.writeAndMask" -> {
                int size = Integer.parseInt(params.get("size"));
                yield (long) size * Math.max(1, 65536 / size);
            }
            case "MessageAssemblyBenchmark.feed" -> 65536;
            case "EchoBenchmark.ours", "EchoBenchmark.netty" -> 64;
            case "HandshakeBenchmark.ours", "HandshakeBenchmark.netty" -> HandshakeBenchmark.REQUEST.length;
            case "CandidateBenchmark.maskSdk", "CandidateBenchmark.maskCandidate", "CandidateBenchmark.utf8Sdk",
                 "CandidateBenchmark.utf8Candidate" -> params.get("text").equals("ascii") ? 65536 : Payloads.mixedUtf8(65536).length;
            default -> throw new IllegalArgumentException(benchmark);
        };
    }

    private JmhMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args {@code --quick} for short iterations; {@code --out DIR} for the result files
     * @throws RunnerException when JMH fails
     * @throws IOException     when the results cannot be written
     */
    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false;
        Path out = Path.of("target", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        Options options = new OptionsBuilder()
                .include("ws\\.benchmark\\.jmh\\..*Benchmark")
                .forks(1)
                .warmupIterations(quick ? 1 : 2)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 2 : 3)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .addProfiler(org.openjdk.jmh.profile.GCProfiler.class)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String benchmark = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new java.util.TreeMap<>();
            for (String key : result.getParams().getParamsKeys()) {
                params.put(key, result.getParams().getParam(key));
            }
            double opsPerSecond = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            long bytes = bytesPerOp(benchmark, params);
            org.openjdk.jmh.results.Result<?> norm = result.getSecondaryResults().get("·gc.alloc.rate.norm");
            if (norm == null) {
                norm = result.getSecondaryResults().get("gc.alloc.rate.norm");
            }
            double allocated = norm == null ? Double.NaN : norm.getScore();
            rows.add(new Row(benchmark, params.toString(), opsPerSecond, error, bytes, allocated));
        }
        double copySmall = rows.stream().filter(r -> r.benchmark.startsWith("MemoryCopy") && r.bytesPerOp == 64)
                .mapToDouble(Row::bytesPerSecond).findFirst().orElse(Double.NaN);
        double copyLarge = rows.stream().filter(r -> r.benchmark.startsWith("MemoryCopy") && r.bytesPerOp == 65536)
                .mapToDouble(Row::bytesPerSecond).findFirst().orElse(Double.NaN);
        StringBuilder md = new StringBuilder();
        StringBuilder csv = new StringBuilder("benchmark,params,ops_per_s,error,bytes_per_op,bytes_per_s,copy_baseline_bytes_per_s,ratio_to_copy,allocated_per_op\n");
        md.append("| benchmark | params | ops/s | bytes/op | GB/s | memory copy GB/s (same run) | ratio to copy | allocated B/op |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            // compare with the copy of the same chunk size: 64-byte copies for per-64-byte work, 64 KiB otherwise
            boolean small = row.params.contains("size=64,") || row.params.contains("size=64}")
                    || row.params.contains("shape=small") || row.benchmark.startsWith("Handshake")
                    || row.benchmark.startsWith("Echo");
            double baseline = small ? copySmall : copyLarge;
            double ratio = row.bytesPerSecond() / baseline;
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f ± %,.0f | %,d | %.2f | %.2f | %.2f | %,.0f |%n",
                    row.benchmark, row.params, row.opsPerSecond, row.error, row.bytesPerOp,
                    row.bytesPerSecond() / 1e9, baseline / 1e9, ratio, row.allocatedPerOp));
            csv.append(String.format(Locale.ROOT, "%s,\"%s\",%.1f,%.1f,%d,%.1f,%.1f,%.4f,%.1f%n", row.benchmark, row.params,
                    row.opsPerSecond, row.error, row.bytesPerOp, row.bytesPerSecond(), baseline, ratio, row.allocatedPerOp));
        }
        Files.writeString(out.resolve("jmh.md"), md);
        Files.writeString(out.resolve("jmh.csv"), csv);
        System.out.println();
        System.out.print(md);
    }

    private record Row(String benchmark, String params, double opsPerSecond, double error, long bytesPerOp,
                       double allocatedPerOp) {
        double bytesPerSecond() {
            return opsPerSecond * bytesPerOp;
        }
    }
}
