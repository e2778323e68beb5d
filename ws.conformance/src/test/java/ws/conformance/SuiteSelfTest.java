package ws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.Catalogue;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.cases.Verdict;

/** The suite must fail what is broken and pass what is right: run against {@link NaiveEchoServer}. */
class SuiteSelfTest {

    @Test
    void failsANaiveServerExactlyWhereItBreaksTheRfc() throws Exception {
        Map<String, Verdict> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("1.1.2", Verdict.OK),          // plain echo is right
                Map.entry("1.2.6", Verdict.OK),
                Map.entry("2.2", Verdict.OK),            // pong for ping is right
                Map.entry("2.5", Verdict.FAILED),        // 126-byte ping answered instead of failing
                Map.entry("3.1", Verdict.FAILED),        // RSV bit echoed back
                Map.entry("4.1.1", Verdict.FAILED),      // reserved opcode echoed back
                Map.entry("5.3", Verdict.FAILED),        // fragments echoed as fragments: fine on the wire...
                Map.entry("6.3.1", Verdict.FAILED),      // invalid UTF-8 echoed
                Map.entry("7.3.3", Verdict.OK),          // close 1000 echoed
                Map.entry("7.9.1", Verdict.FAILED),      // close code 0 echoed
                Map.entry("7.3.6", Verdict.FAILED)));    // 124-byte reason echoed
        // 5.3: echoing "fragment1" and "fragment2" as two frames is a valid fragmented message, so the
        // suite receives the right message: the naive server passes it.
        expected.put("5.3", Verdict.OK);
        List<ConformanceCase> cases = Catalogue.select(List.copyOf(expected.keySet()), List.of());
        assertEquals(expected.size(), cases.size());
        try (NaiveEchoServer server = new NaiveEchoServer();
             ClientMode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                     new Timing(0.2, 1000, 1000, 0))) {
            Report report = Suite.run(cases, mode, "naive", null);
            Map<String, Verdict> actual = new TreeMap<>();
            for (CaseResult r : report.results()) {
                actual.put(r.id(), r.verdict());
            }
            assertEquals(expected, actual, report.table());
        }
    }

    @Test
    void aServerThatKeepsTcpOpenIsNonStrictAndOneThatIgnoresErrorsFails() throws Exception {
        List<ConformanceCase> cases = Catalogue.select(List.of("7.3.3", "4.1.1"), List.of());
        try (NaiveEchoServer server = new NaiveEchoServer(false, true);
             ClientMode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                     new Timing(0.2, 300, 1000, 0))) {
            Report report = Suite.run(cases, mode, "naive-lingering", null);
            CaseResult ignored = report.results().get(0);
            CaseResult lingering = report.results().get(1);
            assertEquals("4.1.1", ignored.id());
            assertEquals(Verdict.FAILED, ignored.verdict(), report.table());
            org.junit.jupiter.api.Assertions.assertTrue(ignored.reason().contains("did not fail"), ignored.reason());
            assertEquals(Verdict.NON_STRICT, lingering.verdict(), report.table());
            org.junit.jupiter.api.Assertions.assertTrue(lingering.reason().contains("did not close TCP"),
                    lingering.reason());
        }
    }

    @Test
    void catalogueHasAutobahnsCaseCounts() {
        Map<String, Integer> perGroup = new TreeMap<>();
        for (ConformanceCase c : Catalogue.all()) {
            if (!c.extra()) {
                perGroup.merge(c.group(), 1, Integer::sum);
            }
        }
        assertEquals(Map.ofEntries(Map.entry("1", 16), Map.entry("2", 11), Map.entry("3", 7), Map.entry("4", 10),
                Map.entry("5", 20), Map.entry("6", 145), Map.entry("7", 37), Map.entry("9", 54), Map.entry("10", 1),
                Map.entry("12", 90), Map.entry("13", 126)), perGroup);
        // 12: 5 data sets x 18 sizes, 13: 7 offer/accept variants x 18 sizes, each with a deflate offer
        assertEquals(216, Catalogue.all().stream().filter(c -> c.deflate() != null).count());
        assertEquals(List.of(16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072),
                Catalogue.all().stream().filter(c -> c.id().matches("13\\.1\\.([1-9]|10)"))
                        .map(c -> Integer.parseInt(c.description().replaceAll(".*payload size (\\d+),.*", "$1"))).toList());
        // ours: 4 close codes, a message and a close in one segment, and every multi-octet UTF-8 sequence of 6.5-6.23 again in one-octet frames
        assertEquals(5, Catalogue.all().stream().filter(c -> c.extra() && c.group().equals("7")).count());
        assertEquals(Catalogue.all().stream().filter(c -> c.id().matches("6\\.([5-9]|1\\d|2[0-3])\\..*")
                && c.description().matches(".*: 0x([0-9a-f]{4,})$")).count(),
                Catalogue.all().stream().filter(c -> c.extra() && c.group().equals("6")).count());
    }
}
