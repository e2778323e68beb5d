package ws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.Catalogue;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.cases.Verdict;
import ws.conformance.sdk.SdkTargets;
import ws.protocol.api.WebSocketServer;

/**
 * The suite against this SDK, in-process, on both transports: client mode against our echo server
 * (permessage-deflate accepted), server mode against our echo client (which offers it, as every
 * client built with the defaults). Any FAILED case fails the test, with every failed case and its
 * reason in the message, and so does an UNIMPLEMENTED one (permessage-deflate not negotiated); the
 * JSON reports go to {@code target/conformance/}.
 *
 * <p>Groups 1-10 run whole. Groups 12 and 13 move much data (1000 messages of up to 128 KiB per
 * case: minutes per run, see {@code ./conformance}), so this test runs a representative subset with
 * {@value #MESSAGES} messages per case: the smallest size of every 12.x data set plus its fragmented
 * cases' extremes, and every 13.x case (all offer and accept variants, every size).
 * {@code -Dconformance.cases=12.*} (with {@code -Dconformance.messages=1000}) runs others.
 */
class SdkConformanceTest {
    /** Waits at a quarter of Autobahn's (loopback answers in microseconds); close waits as Autobahn. */
    private static final Timing TIMING = new Timing(0.25, 1000, 1000, 1000);

    @ParameterizedTest(name = "client mode against our echo server on {0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void clientModeAgainstOurServer(String transport) throws Exception {
        try (WebSocketServer server = SdkTargets.startEchoServer(transport, SdkTargets.DEFLATE);
             ClientMode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"), TIMING)) {
            check(Suite.run(cases(), mode, "ws-server-" + transport, null), "client-" + transport);
        }
    }

    @ParameterizedTest(name = "server mode against our echo client on {0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void serverModeAgainstOurClient(String transport) throws Exception {
        try (ServerMode mode = new ServerMode(0, SdkTargets.echoClients(transport, c -> c), TIMING,
                "ws-client-" + transport, 10_000)) {
            check(Suite.run(cases(), mode, "ws-client-" + transport, null), "server-" + transport);
        }
    }

    /** Messages per case in groups 12 and 13 (Autobahn: 1000). */
    static final int MESSAGES = 10;
    /** The default selection: everything but group 12, which is represented by these cases. */
    static final List<String> DEFAULT_CASES = List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*",
            "12.*.1", "12.*.11", "12.*.18", "13.*");

    private static List<ConformanceCase> cases() {
        String only = System.getProperty("conformance.cases", "");
        int messages = Integer.getInteger("conformance.messages", MESSAGES);
        return Catalogue.select(only.isBlank() ? DEFAULT_CASES : List.of(only.split(",")), List.of(), messages);
    }

    private static void check(Report report, String name) throws Exception {
        report.writeJson(Path.of("target/conformance/junit-" + name + ".json"));
        System.out.println(report.summary());
        List<String> failed = report.results().stream()
                .filter(r -> r.verdict() == Verdict.FAILED || r.verdict() == Verdict.UNIMPLEMENTED)
                .map(SdkConformanceTest::describe).toList();
        assertEquals(List.of(), failed, report.summary());
    }

    private static String describe(CaseResult r) {
        return r.id() + ": " + r.verdict().label() + ": " + r.reason();
    }
}
