package ws.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's tables and charts from its figures: ratios to Netty, n/a rows, the latency loads, the run order. */
class ReportTest {
    private static final List<BenchMain.LoadPoint> LOADS = List.of(new BenchMain.LoadPoint("latency-25", 25_000, 25, false),
            new BenchMain.LoadPoint("latency-90", 90_000, 90, false));

    @TempDir
    Path dir;

    private static BenchMain.Results results() {
        BenchMain.Results results = new BenchMain.Results();
        results.put("netty", "echo-64.msgs", 100_000);
        results.put("netty", "echo-64.p99", 4_000);
        results.put("netty", "echo-64.cpu", 5_000);
        results.put("ours-virtual", "echo-64.msgs", 150_000);
        results.put("ours-virtual", "echo-64.p99", 2_000);
        results.put("ours-virtual", "echo-64.cpu", 4_000);
        results.put("netty", "wss-echo-64.msgs", 50_000);
        results.put("ours-virtual", "wss-echo-64.msgs", 40_000);
        results.put("java-websocket", "wss-echo-64.msgs", Double.NaN); // no TLS in the benchmark
        for (String server : List.of("netty", "ours-virtual")) {
            for (BenchMain.LoadPoint load : LOADS) {
                for (String p : List.of("p50", "p99", "p999")) {
                    results.put(server, load.key() + "." + p, load.percent() * (server.equals("netty") ? 20 : 10) * (p.length() - 1));
                }
            }
        }
        return results;
    }

    private static Report report(BenchMain.Results results) {
        return new Report(results, BenchMain.ALL_SERVERS, "test machine", true, 2000, 500, LOADS);
    }

    private static Report.Metric metric(Report report, String key) {
        return report.metrics.stream().filter(m -> m.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void ratiosToNettyAreAboveOneWhereOursIsBetterWhicheverWayBetterPoints() {
        Report report = report(results());
        assertEquals(1.5, report.ratio(metric(report, "echo-64.msgs"), "ours-virtual", "netty"), 1e-9, "more is better");
        assertEquals(2.0, report.ratio(metric(report, "echo-64.p99"), "ours-virtual", "netty"), 1e-9, "less is better");
        assertEquals(1.25, report.ratio(metric(report, "echo-64.cpu"), "ours-virtual", "netty"), 1e-9, "less CPU per message");
        assertEquals(0.8, report.ratio(metric(report, "wss-echo-64.msgs"), "ours-virtual", "netty"), 1e-9);
        assertTrue(Double.isNaN(report.ratio(metric(report, "echo-64.msgs"), "ours-blocking", "netty")), "not measured");
    }

    @Test
    void theJitsShareAndTheGeneratorsAreShownButNotCompared() {
        Report report = report(results());
        assertFalse(Report.compared(metric(report, "idle.hs.jit")), "a server without a JIT has no share of it");
        assertFalse(Report.compared(metric(report, "idle.gen")), "the generator's own figure");
        assertTrue(Report.compared(metric(report, "idle.hs.cpu.nojit")));
        assertTrue(Report.compared(metric(report, "idle.hs.cpu")));
    }

    @Test
    void aServerWithoutTlsSaysNotApplicableAndOneNotMeasuredSaysDash() {
        String md = report(results()).markdown();
        String wssRow = md.lines().filter(l -> l.startsWith("| wss:// echo 64 B text, 100 conn")).findFirst().orElseThrow();
        // columns: metric, unit, raw, ours-blocking, ours-virtual, ours-eventloop, netty, jetty, ...
        String[] cells = wssRow.split("\\|");
        assertEquals("-", cells[4].trim(), "ours-blocking: not measured");
        assertEquals("40,000", cells[5].trim());
        assertEquals("-", cells[8].trim(), "jetty: not measured");
        assertEquals("n/a", cells[9].trim(), "java-websocket: no TLS");
        assertTrue(md.contains("Same-run ratios to Netty"), md);
        assertTrue(md.contains("| echo 64 B text, 100 conn x 16 in flight | - | 1.50 | - |"), md);
        assertTrue(!md.contains("broadcast 64 B"), "a profile the run did not include has no rows");
    }

    @Test
    void latencyRowsNameTheShareOfNettysSaturationAndItsRate() {
        assertEquals("echo 64 B at 25 % of Netty's saturation (25,000 msg/s)", LOADS.getFirst().label());
        assertEquals("echo 64 B at 400,000 msg/s offered", new BenchMain.LoadPoint("latency-at-400000", 400_000, 0, false).label());
        assertTrue(report(results()).markdown().contains("| echo 64 B at 90 % of Netty's saturation (90,000 msg/s) p99.9 | us |"));
    }

    @Test
    void wssLatencyRowsNameNettysWssSaturation() {
        assertEquals("wss:// echo 64 B at 50 % of Netty's wss:// saturation (160,000 msg/s)",
                new BenchMain.LoadPoint("latency-wss-50", 160_000, 50, true).label());
        assertEquals("wss:// echo 64 B at 100,000 msg/s offered",
                new BenchMain.LoadPoint("latency-wss-at-100000", 100_000, 0, true).label());
    }

    @Test
    void nettyRunsFirstAfterTheCeilingSoItsRateCanSetTheLoads() {
        assertEquals(List.of("raw", "netty", "ours-blocking", "ours-virtual", "jetty"),
                BenchMain.runOrder(List.of("ours-blocking", "ours-virtual", "netty", "raw", "jetty")));
        assertEquals(List.of("ours-virtual"), BenchMain.runOrder(List.of("ours-virtual")));
    }

    @Test
    void aServerThatRefusesTlsAtStartIsNotApplicableForTheReasonItGave() {
        String tail = "ws: building the tool\nException in thread \"main\" java.lang.IllegalArgumentException: TLS runs over the "
                + "socket transports\n\tat ws.transport.tls/ws.transport.tls.TlsTransport.layered(TlsTransport.java:205)";
        assertEquals("TLS runs over the socket transports", BenchMain.whyNotStarted(tail));
        assertEquals("exited with 1", BenchMain.whyNotStarted("starting\nexited with 1\n"));
    }

    @Test
    void theChartsAreDrawn() throws Exception {
        RunCharts charts = new RunCharts(results(), BenchMain.ALL_SERVERS, "test machine");
        charts.throughput(dir.resolve("throughput.png"));
        charts.latency(dir.resolve("latency.png"), LOADS);
        for (String name : List.of("throughput.png", "latency.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertTrue(image.getWidth() > 1000 && image.getHeight() > 200, name);
        }
    }
}
