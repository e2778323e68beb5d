package ws.benchmark.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A server's figures over a run, sampled from outside its process: the heap in use right after a
 * full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), its OS threads ({@code Threads} of
 * {@code /proc/PID/status}), its open file descriptors ({@code /proc/PID/fd}), and one figure of the
 * load (messages/s, connections/s) with a count (connections open). Written as CSV and as a chart.
 */
final class Timeline {
    /** One sample; {@code label} says what was going on (warm-up, load, after). */
    record Sample(double seconds, double heapMb, int threads, int files, double load, long count, String label) {
    }

    private final ServerProcess server;
    private final long start = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();

    Timeline(ServerProcess server) {
        this.server = server;
    }

    /** Takes a sample now (a full GC in the server first) and logs it. */
    Sample sample(double load, long count, String label) throws IOException, InterruptedException {
        long heap = server.liveHeapAfterFullGc();
        Sample sample = new Sample((System.nanoTime() - start) / 1e9, heap / 1048576.0, server.threads(),
                server.openFiles(), load, count, label);
        samples.add(sample);
        BenchMain.log(String.format(Locale.ROOT, "  %6.0f s  heap %7.1f MB  threads %,6d  files %,6d  %,10.0f  %,7d  %s",
                sample.seconds(), sample.heapMb(), sample.threads(), sample.files(), load, count, label));
        return sample;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The samples with this label. */
    List<Sample> labelled(String label) {
        return samples.stream().filter(s -> s.label().equals(label)).toList();
    }

    String csv(String loadName, String countName) {
        StringBuilder csv = new StringBuilder("seconds,heap_mb_after_gc,threads,open_files," + loadName + "," + countName
                + ",phase\n");
        for (Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.1f,%.2f,%d,%d,%.1f,%d,%s%n", s.seconds(), s.heapMb(), s.threads(),
                    s.files(), s.load(), s.count(), s.label()));
        }
        return csv.toString();
    }

    /** The chart: heap (MB, left axis), threads and open files (right axis) over time. */
    void chart(Path file, String title, String subtitle) throws IOException {
        int n = samples.size();
        double[] seconds = new double[n];
        double[] heap = new double[n];
        double[] threads = new double[n];
        double[] files = new double[n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            seconds[i] = s.seconds();
            heap[i] = s.heapMb();
            threads[i] = s.threads();
            files[i] = s.files();
        }
        Chart.lines(file, title, subtitle, seconds, "heap after GC, MB", "threads, open files", List.of(
                new Chart.Series("heap in use after a full GC (MB)", Chart.BLUE, heap, false),
                new Chart.Series("OS threads", Chart.GREEN, threads, true),
                new Chart.Series("open file descriptors", Chart.RED, files, true)));
    }

    /**
     * Whether a figure stayed flat over {@code steady}: the mean of its last third is within
     * {@code relative} (a fraction) or {@code absolute}, whichever is larger, of the mean of its
     * first third. Returns a line saying so, starting with "flat" or "GREW".
     */
    static String flat(String name, List<Sample> steady, java.util.function.ToDoubleFunction<Sample> figure,
                       double relative, double absolute) {
        int third = Math.max(1, steady.size() / 3);
        double first = steady.subList(0, third).stream().mapToDouble(figure).average().orElse(0);
        double last = steady.subList(steady.size() - third, steady.size()).stream().mapToDouble(figure).average().orElse(0);
        double allowed = Math.max(first * relative, absolute);
        double min = steady.stream().mapToDouble(figure).min().orElse(0);
        double max = steady.stream().mapToDouble(figure).max().orElse(0);
        return String.format(Locale.ROOT, "%s %s: first third %,.1f, last third %,.1f (%+,.1f; allowed +%,.1f), range %,.1f to %,.1f",
                last - first <= allowed ? "flat" : "GREW", name, first, last, last - first, allowed, min, max);
    }
}
