package ws.benchmark.load;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of one run: a row per metric, a column per server, the best peer, and our advantage
 * over it on each transport. The advantage is ours / best peer for a figure where more is better
 * (messages/s, MB/s, handshakes/s) and best peer / ours where less is better (latency, memory), so
 * above 1 always means we lead. The raw echo is the load generator's ceiling, never a peer.
 */
final class Report {
    /** One row: metric key, label, unit, whether more is better. */
    record Metric(String key, String label, String unit, boolean higherIsBetter) {
    }

    final List<Metric> metrics;

    private static List<Metric> metrics(int idle, int clients, List<BenchMain.LoadPoint> loads) {
        List<Metric> latency = new ArrayList<>();
        for (BenchMain.LoadPoint load : loads) {
            latency.add(new Metric(load.key() + ".p50", load.label() + " p50", "us", false));
            latency.add(new Metric(load.key() + ".p99", load.label() + " p99", "us", false));
            latency.add(new Metric(load.key() + ".p999", load.label() + " p99.9", "us", false));
        }
        List<Metric> all = new ArrayList<>(List.of(
            new Metric("echo-64.msgs", "echo 64 B text, 100 conn x 16 in flight", "msg/s", true),
            new Metric("echo-64.mbs", "echo 64 B text", "MB/s", true),
            new Metric("echo-64.p50", "echo 64 B text p50", "us", false),
            new Metric("echo-64.p99", "echo 64 B text p99", "us", false),
            new Metric("echo-64.p999", "echo 64 B text p99.9", "us", false),
            new Metric("echo-64.cpu", "echo 64 B text: server CPU per message", "ns", false),
            new Metric("echo-64.gen", "echo 64 B text: load generator busy (1 = its core is the limit)", "cores", false),
            new Metric("wss-echo-64.msgs", "wss:// echo 64 B text, 100 conn x 16 in flight", "msg/s", true),
            new Metric("wss-echo-64.p50", "wss:// echo 64 B text p50", "us", false),
            new Metric("wss-echo-64.p99", "wss:// echo 64 B text p99", "us", false),
            new Metric("wss-echo-64.p999", "wss:// echo 64 B text p99.9", "us", false),
            new Metric("wss-echo-64.cpu", "wss:// echo 64 B text: server CPU per message", "ns", false),
            new Metric("wss-echo-64.gen", "wss:// echo 64 B text: load generator busy (1 = its core is the limit)", "cores", false),
            new Metric("echo-64k.msgs", "echo 64 KiB binary, 10 conn x 4 in flight", "msg/s", true),
            new Metric("echo-64k.mbs", "echo 64 KiB binary", "MB/s", true),
            new Metric("echo-64k.p50", "echo 64 KiB binary p50", "us", false),
            new Metric("echo-64k.p99", "echo 64 KiB binary p99", "us", false),
            new Metric("echo-64k.cpu", "echo 64 KiB binary: server CPU per message", "ns", false)));
        all.addAll(latency);
        all.addAll(List.of(
            new Metric("broadcast.msgs", String.format(Locale.ROOT, "broadcast 64 B to %,d clients (deliveries)", clients), "msg/s", true),
            new Metric("broadcast.mbs", "broadcast 64 B", "MB/s", true),
            new Metric("broadcast.p50", "broadcast 64 B p50", "us", false),
            new Metric("broadcast.p99", "broadcast 64 B p99", "us", false),
            new Metric("broadcast.cpu", "broadcast 64 B: server CPU per delivery", "ns", false),
            new Metric("wss.full", "wss:// handshakes, full TLS 1.3 (JDK TLS), 32 clients", "/s", true),
            new Metric("wss.full.cpu", "wss:// full handshake: server CPU each", "us", false),
            new Metric("wss.resumed", "wss:// handshakes, resumed TLS 1.3 session", "/s", true),
            new Metric("idle.hs", String.format(Locale.ROOT, "handshakes while opening %,d idle", idle), "/s", true),
            new Metric("idle.hs.cpu", "handshake: server CPU each", "us", false),
            new Metric("idle.hs.jit", "  of it the JIT compiler threads' (still compiling in this round)", "us", false),
            new Metric("idle.hs.cpu.nojit", "handshake: server CPU each, without the JIT compiler threads", "us", false),
            new Metric("idle.gen", "handshakes: load generator busy (1 = its core is the limit)", "cores", false),
            new Metric("idle.heap", "idle connection: live heap after full GC", "B/conn", false),
            new Metric("idle.rss", "idle connection: RSS growth", "B/conn", false),
            new Metric("capacity.conns", "most idle connections held (ours-virtual, ours-eventloop)", "conn", true),
            new Metric("capacity.hs", "handshakes while opening them", "/s", true),
            new Metric("capacity.heap", "  live heap at that count", "B/conn", false),
            new Metric("capacity.rss", "  RSS growth at that count", "B/conn", false)));
        return List.copyOf(all);
    }

    private static final List<String> OURS = List.of("ours-blocking", "ours-virtual", "ours-eventloop");
    private static final String CEILING = "raw";

    private final BenchMain.Results results;
    private final List<String> servers;
    private final String machine;
    private final boolean quick;

    Report(BenchMain.Results results, List<String> servers, String machine, boolean quick, int idle, int clients,
           List<BenchMain.LoadPoint> loads) {
        this.metrics = metrics(idle, clients, loads);
        this.results = results;
        this.servers = servers;
        this.machine = machine;
        this.quick = quick;
    }

    private List<String> peers() {
        List<String> peers = new ArrayList<>();
        for (String s : servers) {
            if (!OURS.contains(s) && !s.equals(CEILING)) {
                peers.add(s);
            }
        }
        return peers;
    }

    /**
     * Whether ours and the peers are compared on this row (not: ours alone, the generator's own figure,
     * or the JIT's share, which a server without a JIT has none of).
     */
    static boolean compared(Metric metric) {
        return !metric.key().startsWith("capacity.") && !metric.key().endsWith(".gen") && !metric.key().endsWith(".jit");
    }

    /** The best peer's name for a metric, or null when none has a figure. */
    String bestPeer(Metric metric) {
        String best = null;
        for (String peer : peers()) {
            Double v = results.get(peer, metric.key());
            if (v == null || v.isNaN()) {
                continue;
            }
            Double b = best == null ? null : results.get(best, metric.key());
            if (b == null || (metric.higherIsBetter() ? v > b : v < b)) {
                best = peer;
            }
        }
        return best;
    }

    /** Our advantage over the best peer (above 1: we lead), or NaN. */
    double advantage(Metric metric, String ours) {
        String best = bestPeer(metric);
        Double o = results.get(ours, metric.key());
        if (best == null || o == null || o.isNaN()) {
            return Double.NaN;
        }
        double b = results.get(best, metric.key());
        if (metric.key().startsWith("idle.") && !metric.higherIsBetter()) {
            // memory: a figure at or below zero (noise) counts as 1 byte
            o = Math.max(o, 1.0);
            b = Math.max(b, 1.0);
        }
        double a = metric.higherIsBetter() ? o / b : b / o;
        return Double.isFinite(a) ? a : Double.NaN; // a peer at 0 (nothing counted in the window): no ratio
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(quick ? " (quick run)" : " (full run)").append("\n\n");
        md.append("| metric | unit |");
        for (String s : servers) {
            md.append(' ').append(s.equals(CEILING) ? "raw (ceiling)" : s).append(" |");
        }
        md.append(" best peer |");
        for (String ours : OURS) {
            md.append(' ').append(ours.substring("ours-".length())).append(" / best |");
        }
        md.append("\n|---|---|");
        md.append("---:|".repeat(servers.size())).append("---|").append("---:|".repeat(OURS.size())).append('\n');
        for (Metric metric : metrics) {
            if (servers.stream().allMatch(server -> results.get(server, metric.key()) == null)) {
                continue; // a profile this run did not include
            }
            md.append("| ").append(metric.label()).append(" | ").append(metric.unit()).append(" |");
            for (String s : servers) {
                md.append(' ').append(format(results.get(s, metric.key()))).append(" |");
            }
            String best = bestPeer(metric);
            md.append(' ').append(best == null ? "-" : best).append(" |");
            for (String ours : OURS) {
                double a = compared(metric) ? advantage(metric, ours) : Double.NaN;
                md.append(' ').append(Double.isNaN(a) ? "-" : String.format(Locale.ROOT, "%.2f", a)).append(" |");
            }
            md.append('\n');
        }
        md.append("\nRatios: ours / best peer where more is better, best peer / ours where less is better: above 1.00 we lead. "
                + "n/a: the server does not take part (no TLS in this benchmark); -: not measured. Server CPU: user + system "
                + "time of the server process over the measured window, divided by the messages (or handshakes) counted.\n");
        md.append("\n").append(nettyRatios());
        if (!results.errors.isEmpty()) {
            md.append("\nFailures:\n");
            for (Map.Entry<String, List<String>> e : results.errors.entrySet()) {
                for (String message : e.getValue()) {
                    md.append("- ").append(e.getKey()).append(": ").append(message).append('\n');
                }
            }
        }
        return md.toString();
    }

    String csv() {
        StringBuilder csv = new StringBuilder("metric,unit");
        for (String s : servers) {
            csv.append(',').append(s);
        }
        csv.append(",best_peer");
        for (String ours : OURS) {
            csv.append(',').append(ours.substring("ours-".length())).append("_over_best");
        }
        csv.append('\n');
        for (Metric metric : metrics) {
            csv.append(metric.key()).append(',').append(metric.unit());
            for (String s : servers) {
                Double v = results.get(s, metric.key());
                csv.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.2f", v));
            }
            String best = bestPeer(metric);
            csv.append(',').append(best == null ? "" : best);
            for (String ours : OURS) {
                double a = advantage(metric, ours);
                csv.append(',').append(Double.isNaN(a) ? "" : String.format(Locale.ROOT, "%.4f", a));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** The same-run ratios of ours to Netty on the rows that decide (rates, tails and CPU per operation). */
    String nettyRatios() {
        StringBuilder md = new StringBuilder("Same-run ratios to Netty (above 1.00 we lead):\n\n| metric |");
        for (String ours : OURS) {
            md.append(' ').append(ours).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(OURS.size())).append('\n');
        for (Metric metric : metrics) {
            if (metric.key().endsWith(".mbs") || !compared(metric) || metric.key().startsWith("idle.heap")
                    || metric.key().startsWith("idle.rss") || results.get("netty", metric.key()) == null) {
                continue;
            }
            md.append("| ").append(metric.label()).append(" |");
            for (String ours : OURS) {
                double r = ratio(metric, ours, "netty");
                md.append(' ').append(Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r)).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** {@code server} against {@code reference} on a metric (above 1: {@code server} is better), or NaN. */
    double ratio(Metric metric, String server, String reference) {
        Double o = results.get(server, metric.key());
        Double r = results.get(reference, metric.key());
        if (o == null || r == null || o.isNaN() || r.isNaN() || o <= 0 || r <= 0) {
            return Double.NaN;
        }
        return metric.higherIsBetter() ? o / r : r / o;
    }

    private static String format(Double v) {
        if (v == null) {
            return "-";
        }
        if (v.isNaN()) {
            return "n/a";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A horizontal bar chart of the advantages, log scale, a line at 1 (parity). Headless Java2D. */
    void chart(Path file) throws IOException {
        List<Metric> metrics = this.metrics.stream().filter(Report::compared).toList();
        int rowHeight = 44; // three bars of 12 px
        int top = 70;
        int left = 420;
        int width = 1200;
        int plot = width - left - 60;
        int height = top + metrics.size() * rowHeight + 70;
        Chart chart = Chart.canvas(width, height, "Ours vs the best peer (Netty, Jetty, Java-WebSocket, Node ws): above 1 we lead",
                machine);
        Graphics2D g = chart.g;
        java.util.function.DoubleToIntFunction x = chart.ratioScale(left, plot, 1.0 / 16, 16, top, top + metrics.size() * rowHeight);
        Color[] colors = {Chart.BLUE, Chart.GREEN, Chart.RED}; // in the order of OURS
        int one = x.applyAsInt(1.0);
        for (int i = 0; i < metrics.size(); i++) {
            Metric metric = metrics.get(i);
            int y = top + i * rowHeight;
            g.setColor(Color.BLACK);
            g.setFont(Chart.font(Font.PLAIN, 13));
            String best = bestPeer(metric);
            chart.textRight(metric.label() + (best == null ? "" : "  [" + best + "]"), left - 10, y + 20);
            int bar = 0;
            for (String ours : OURS) {
                double a = advantage(metric, ours);
                int by = y + 4 + bar * 13;
                if (!Double.isNaN(a)) {
                    chart.ratioBar(one, x.applyAsInt(a), by, 12, colors[bar], String.format(Locale.ROOT, "%.2f", a), left);
                }
                bar++;
            }
        }
        int ly = height - 28;
        int lx = left;
        for (int i = 0; i < OURS.size(); i++) {
            lx = chart.legend(lx, ly, colors[i], "ours, " + OURS.get(i).substring("ours-".length()) + " transport");
        }
        chart.write(file);
    }
}
