package ws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client peer in another language runs one scenario against our {@link ScenarioServer} and
 * reports PASS/FAIL lines; the test also checks what our server saw of the close.
 */
abstract class ScriptedClientTest {
    static final Duration TIMEOUT = Duration.ofSeconds(40);
    static final List<String> SCENARIOS =
            List.of("text", "binary", "large", "fragmented", "ping", "deflate", "client-close", "server-close");

    /** The peer's name, for skip messages. */
    abstract String peer();

    /** The close reason the peer sends in the client-close scenario. */
    abstract String byeReason();

    /** Asserts the peer can run here (or skips). */
    abstract void requirePeer();

    abstract Path directory();

    abstract List<String> command(String scenario, String baseUrl);

    static Stream<Arguments> transportsAndScenarios() {
        return Stream.of("blocking", "virtual", "eventloop").flatMap(transport -> SCENARIOS.stream()
                .map(scenario -> Arguments.of(transport, scenario)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("transportsAndScenarios")
    void scenario(String transport, String scenario) throws Exception {
        requirePeer();
        try (ScenarioServer server = ScenarioServer.start(transport)) {
            PeerProcess client = PeerProcess.start(directory(), command(scenario, server.baseUrl()));
            try (client) {
                int status = client.waitFor(TIMEOUT);
                String output = client.output();
                assertFalse(output.contains("FAIL"), peer() + " reported a failure\n" + client.describe());
                assertTrue(output.contains("PASS"), peer() + " checked nothing\n" + client.describe());
                assertEquals(0, status, "exit status\n" + client.describe());
            }
            switch (scenario) {
                case "client-close" -> assertEquals("/echo 4000 " + byeReason(), server.nextClose(TIMEOUT));
                case "server-close" -> assertTrue(server.nextClose(TIMEOUT).startsWith("/close 4001 "));
                case "ping" -> assertEquals("/ping 1000 done", server.nextClose(TIMEOUT));
                // two connections, one after the other; their server-side close events may come in either order
                case "fragmented" -> assertEquals(List.of("/echo 1000 done", "/fragments 1000 done"),
                        Stream.of(server.nextClose(TIMEOUT), server.nextClose(TIMEOUT)).sorted().toList());
                default -> assertEquals("/echo 1000 done", server.nextClose(TIMEOUT));
            }
        }
    }
}
