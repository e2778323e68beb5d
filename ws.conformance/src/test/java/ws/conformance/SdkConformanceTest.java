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
import ws.conformance.sdk.SdkTargets;
import ws.protocol.api.WebSocketServer;

/**
 * The whole suite against this SDK, in-process, on both transports: client mode against our echo
 * server, server mode against our echo client. Any FAILED case fails the test, with every failed case
 * and its reason in the message; the JSON reports go to {@code target/conformance/}.
 *
 */
class SdkConformanceTest {
    /** Waits at a quarter of Autobahn's (loopback answers in microseconds); close waits as Autobahn. */
    private static final Timing TIMING = new Timing(0.25, 1000, 1000, 1000);

    @ParameterizedTest(name = "client mode against our echo server on {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void clientModeAgainstOurServer(String transport) throws Exception {
        try (WebSocketServer server = SdkTargets.startEchoServer(transport, c -> c);
             ClientMode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"), TIMING)) {
            check(Suite.run(cases(), mode, "ws-server-" + transport, null), "client-" + transport);
        }
    }

    @ParameterizedTest(name = "server mode against our echo client on {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void serverModeAgainstOurClient(String transport) throws Exception {
        try (ServerMode mode = new ServerMode(0, SdkTargets.echoClients(transport, c -> c), TIMING,
                "ws-client-" + transport, 10_000)) {
            check(Suite.run(cases(), mode, "ws-client-" + transport, null), "server-" + transport);
        }
    }

    private static List<ConformanceCase> cases() {
        String only = System.getProperty("conformance.cases", "");
        return Catalogue.select(only.isBlank() ? List.of() : List.of(only.split(",")), List.of());
    }

    private static void check(Report report, String name) throws Exception {
        report.writeJson(Path.of("target/conformance/junit-" + name + ".json"));
        System.out.println(report.summary());
        List<String> failed = report.failed().stream().map(SdkConformanceTest::describe).toList();
        assertEquals(List.of(), failed, report.summary());
    }

    private static String describe(CaseResult r) {
        return r.id() + ": " + r.reason();
    }
}
