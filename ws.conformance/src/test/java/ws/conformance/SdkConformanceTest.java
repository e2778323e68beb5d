package ws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.conformance.cases.CaseResult;
import ws.conformance.cases.Catalogue;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.sdk.SdkTargets;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocketServer;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.engine.ServerProtocol;
import ws.protocol.spi.Transport;

/**
 * The whole suite against this SDK, in-process, on both transports: client mode against our echo
 * server, server mode against our echo client. Any FAILED case fails the test, with every failed case
 * and its reason in the message; the JSON reports go to {@code target/conformance/}.
 *
 * <p>While the engine or a transport is still a contract stub, the test is skipped with a loud message.
 *
 * <p>{@link #KNOWN_FAILURES} lists failures already routed to their owner (docs/conformance.md has the
 * bytes and the cause): they are printed loudly but do not fail the build, so that CI stays usable
 * while they are fixed; every other FAILED case fails the test. With {@code -Dconformance.strict=true}
 * the known ones fail it too. Remove an entry once it is fixed.
 */
class SdkConformanceTest {
    /**
     * Case id to the finding in docs/conformance.md. Empty: 7.15.1 (F1, the close reply overtaking the
     * echo; it was 7.1.1 then) was fixed by the engine's held close (ba972bf/3f60051) and the transport (d9a739a).
     */
    static final Map<String, String> KNOWN_FAILURES = Map.of();

    /** Waits at a quarter of Autobahn's (loopback answers in microseconds); close waits as Autobahn. */
    private static final Timing TIMING = new Timing(0.25, 1000, 1000, 1000);

    @ParameterizedTest(name = "client mode against our echo server on {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void clientModeAgainstOurServer(String transport) throws Exception {
        assumeImplemented(transport);
        try (WebSocketServer server = SdkTargets.startEchoServer(transport, c -> c);
             ClientMode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"), TIMING)) {
            check(Suite.run(cases(), mode, "ws-server-" + transport, null), "client-" + transport);
        }
    }

    @ParameterizedTest(name = "server mode against our echo client on {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void serverModeAgainstOurClient(String transport) throws Exception {
        assumeImplemented(transport);
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
        boolean strict = Boolean.getBoolean("conformance.strict");
        List<String> failed = report.failed().stream()
                .filter(r -> strict || !KNOWN_FAILURES.containsKey(r.id()))
                .map(SdkConformanceTest::describe).toList();
        report.failed().stream().filter(r -> KNOWN_FAILURES.containsKey(r.id())).forEach(r -> System.err.println(
                "\n*** KNOWN CONFORMANCE FAILURE (" + name + ") " + r.id() + ": " + r.reason() + "\n    routed: "
                        + KNOWN_FAILURES.get(r.id()) + " ***\n"));
        assertEquals(List.of(), failed, report.summary());
    }

    private static String describe(CaseResult r) {
        return r.id() + ": " + r.reason();
    }

    /** Skips (loudly) while the engine or the transport is a contract stub. */
    private static void assumeImplemented(String transport) {
        String stub = null;
        try {
            Transport.named(transport);
            ServerProtocol.create(ConnectionOptions.defaults().protocolConfig());
            ClientProtocol.create(ConnectionOptions.defaults().protocolConfig(), URI.create("ws://127.0.0.1:1/"),
                    List.of(), ws.protocol.handshake.HttpHeaders.empty());
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("CONTRACT STUB") || m.contains("no transport named")) {
                    stub = t.toString();
                }
            }
            if (stub == null) {
                throw e;
            }
        }
        if (stub != null) {
            String message = "\n*** SKIPPED: the SDK is not implemented yet on transport " + transport
                    + " (CONTRACT STUB): " + stub + " ***\n";
            System.err.println(message);
            Assumptions.abort(message);
        }
    }
}
