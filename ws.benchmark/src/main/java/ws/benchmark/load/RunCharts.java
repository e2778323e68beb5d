package ws.benchmark.load;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleToIntFunction;

/**
 * The two charts of a load run that {@code docs/performance.md} shows: every server's rate in each
 * throughput profile as a ratio to Netty's in the same run ({@link #throughput}), and the latency
 * percentiles against the offered load ({@link #latency}). Headless Java2D on a {@link Chart} canvas.
 */
final class RunCharts {
    /** The rows of the throughput chart: a key of the results and its label. */
    private static final List<String[]> RATES = List.of(
            new String[] {"echo-64.msgs", "echo 64 B, msg/s"},
            new String[] {"wss-echo-64.msgs", "wss:// echo 64 B, msg/s"},
            new String[] {"echo-64k.msgs", "echo 64 KiB, msg/s"},
            new String[] {"broadcast.msgs", "broadcast 64 B, deliveries/s"},
            new String[] {"idle.hs", "handshakes/s (opening idle)"},
            new String[] {"wss.full", "wss:// full handshakes/s"},
            new String[] {"wss.resumed", "wss:// resumed handshakes/s"});
    private static final Color[] COLORS = {Chart.BLUE, Chart.GREEN, new Color(251, 188, 5), Chart.RED,
        new Color(154, 160, 166), new Color(171, 71, 188), new Color(0, 172, 193), new Color(121, 85, 72)};
    private static final String REFERENCE = "netty";

    private final BenchMain.Results results;
    private final List<String> servers;
    private final String machine;

    RunCharts(BenchMain.Results results, List<String> servers, String machine) {
        this.results = results;
        this.servers = servers;
        this.machine = machine;
    }

    private Color color(String server) {
        return COLORS[Math.max(0, servers.indexOf(server)) % COLORS.length];
    }

    private double value(String server, String key) {
        Double v = results.get(server, key);
        return v == null ? Double.NaN : v;
    }

    /** Servers (not the generator's ceiling) with a figure for at least one of these keys. */
    private List<String> present(List<String> keys) {
        List<String> present = new ArrayList<>();
        for (String server : servers) {
            if (server.equals("raw")) {
                continue;
            }
            for (String key : keys) {
                if (value(server, key) > 0) {
                    present.add(server);
                    break;
                }
            }
        }
        return present;
    }

    /**
     * Grouped horizontal bars, one group per throughput profile, one bar per server: its rate over
     * Netty's in the same run on a log scale (Netty's bar is 1), with the ratio and the rate written.
     */
    void throughput(Path file) throws IOException {
        List<String[]> rows = RATES.stream().filter(r -> value(REFERENCE, r[0]) > 0).toList();
        List<String> shown = present(rows.stream().map(r -> r[0]).toList());
        int bar = 14;
        int group = shown.size() * (bar + 2) + 18;
        int top = 70;
        int left = 260;
        int width = 1150;
        int plot = width - left - 170;
        int height = top + Math.max(1, rows.size()) * group + 70;
        Chart chart = Chart.canvas(width, height, "Throughput per profile, as a ratio to Netty in the same run (log scale)",
                machine);
        Graphics2D g = chart.g;
        DoubleToIntFunction x = chart.ratioScale(left, plot, 1.0 / 8, 8, top, top + rows.size() * group);
        int one = x.applyAsInt(1.0);
        for (int r = 0; r < rows.size(); r++) {
            String key = rows.get(r)[0];
            int y = top + r * group;
            g.setColor(Color.BLACK);
            g.setFont(Chart.font(Font.BOLD, 13));
            chart.textRight(rows.get(r)[1], left - 10, y + 14);
            double reference = value(REFERENCE, key);
            for (int i = 0; i < shown.size(); i++) {
                String server = shown.get(i);
                double v = value(server, key);
                int by = y + i * (bar + 2);
                g.setFont(Chart.font(Font.PLAIN, 11));
                if (!(v > 0)) {
                    g.setColor(Color.GRAY);
                    g.drawString(server + ": " + (v != v && results.get(server, key) != null ? "n/a" : "-"), one + 4, by + 11);
                    continue;
                }
                double ratio = v / reference;
                chart.ratioBar(one, x.applyAsInt(ratio), by, bar, color(server),
                        String.format(Locale.ROOT, "%s %.2fx (%s)", server, ratio, rate(v)), left);
            }
        }
        int lx = 20;
        int ly = height - 22;
        for (String server : shown) {
            lx = chart.legend(lx, ly, color(server), server);
        }
        chart.write(file);
    }

    private static String rate(double v) {
        return v >= 1e6 ? String.format(Locale.ROOT, "%.2f M/s", v / 1e6)
                : v >= 1e3 ? String.format(Locale.ROOT, "%.1f k/s", v / 1e3) : String.format(Locale.ROOT, "%.0f/s", v);
    }

    /**
     * Three panels (p50, p99, p99.9), latency on a log scale against the offered load (percent of
     * Netty's saturation, or messages/s for fixed rates), a line per server.
     */
    void latency(Path file, List<BenchMain.LoadPoint> loads) throws IOException {
        List<String> keys = new ArrayList<>();
        for (BenchMain.LoadPoint load : loads) {
            keys.add(load.key() + ".p50");
        }
        List<String> shown = present(keys);
        String[] percentiles = {"p50", "p99", "p999"};
        String[] names = {"p50", "p99", "p99.9"};
        int width = 1200;
        int height = 520;
        int top = 90;
        int bottom = 80;
        int gap = 80;
        int left = 70;
        int panel = (width - left - 20 - 2 * gap) / 3;
        int plotHeight = height - top - bottom;
        boolean relative = !loads.isEmpty() && loads.getFirst().percent() > 0;
        boolean tls = !loads.isEmpty() && loads.getFirst().tls();
        Chart chart = Chart.canvas(width, height, (tls ? "wss:// echo" : "Echo")
                + " 64 B, 100 connections, open loop: latency at a fixed offered load"
                + (relative ? " (% of Netty's " + (tls ? "wss:// " : "") + "saturation in this run)" : " (msg/s)"), machine);
        Graphics2D g = chart.g;
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (String server : shown) {
            for (BenchMain.LoadPoint load : loads) {
                for (String p : percentiles) {
                    double v = value(server, load.key() + "." + p);
                    if (v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (hi == 0) {
            lo = 1;
            hi = 10;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(lo)));
        double yMax = Math.pow(10, Math.ceil(Math.log10(hi * 1.01)));
        double xMax = loads.isEmpty() ? 1 : relative ? 100 : loads.getLast().rate() * 1.1;
        for (int p = 0; p < 3; p++) {
            int px = left + p * (panel + gap);
            DoubleToIntFunction y = v -> top + plotHeight
                    - (int) Math.round(plotHeight * Math.log(Math.max(yMin, Math.min(yMax, v)) / yMin) / Math.log(yMax / yMin));
            DoubleToIntFunction x = v -> px + (int) Math.round(panel * v / xMax);
            g.setFont(Chart.font(Font.PLAIN, 11));
            for (double d = yMin; d <= yMax * 1.0001; d *= 10) {
                chart.yTick(y.applyAsInt(d), px, px + panel, d >= 1e6 ? String.format(Locale.ROOT, "%,.0f s", d / 1e6)
                        : d >= 1000 ? String.format(Locale.ROOT, "%,.0f ms", d / 1000) : String.format(Locale.ROOT, "%,.0f us", d));
            }
            for (BenchMain.LoadPoint load : loads) {
                chart.xTick(x.applyAsInt(relative ? load.percent() : load.rate()), top, top + plotHeight,
                        relative ? load.percent() + "%" : String.format(Locale.ROOT, "%,.0fk", load.rate() / 1000));
            }
            g.setColor(Color.BLACK);
            g.drawRect(px, top, panel, plotHeight);
            g.setFont(Chart.font(Font.BOLD, 14));
            g.drawString(names[p], px + panel / 2 - 15, top - 10);
            for (String server : shown) {
                int[] xs = new int[loads.size()];
                int[] ys = new int[loads.size()];
                for (int i = 0; i < loads.size(); i++) {
                    BenchMain.LoadPoint load = loads.get(i);
                    double v = value(server, load.key() + "." + percentiles[p]);
                    xs[i] = v > 0 ? x.applyAsInt(relative ? load.percent() : load.rate()) : -1;
                    ys[i] = v > 0 ? y.applyAsInt(v) : -1;
                }
                chart.polyline(xs, ys, color(server), 2.5f, 8);
            }
        }
        int lx = left;
        for (String server : shown) {
            lx = chart.legend(lx, height - 22, color(server), server);
        }
        chart.write(file);
    }
}
