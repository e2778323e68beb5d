package ws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Socket.IO client (npm socket.io-client v4, in Node) against our event server, over
 * WebSocket only, over long-polling with the upgrade and over long-polling only, on both socket
 * transports:
 * interop/node/sio-client.mjs runs its checks and prints PASS/FAIL lines.
 */
class SocketIoClientInteropTest {
    /** Each run is a few seconds on an idle machine; generous for a loaded one (its waits are up to 45 s). */
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    static Stream<Arguments> transportsAndModes() {
        return Stream.of("blocking", "virtual").flatMap(transport -> Stream.of("websocket", "polling", "polling-only")
                .map(mode -> Arguments.of(transport, mode)));
    }

    @ParameterizedTest(name = "socket.io-client over {1} on {0}")
    @MethodSource("transportsAndModes")
    void officialClient(String transport, String mode) throws Exception {
        PeerAssumptions.requirePeer("node socket.io-client", SocketIoClientInteropTest::missing);
        try (SocketIoScenario server = SocketIoScenario.start(transport);
             PeerProcess client = PeerProcess.start(Peers.nodeDirectory(), List.of("node", "sio-client.mjs", mode, server.baseUrl()))) {
            int status = client.waitFor(TIMEOUT);
            String output = client.output();
            System.out.printf("socket.io-client over %s on %s:%n%s", mode, transport, output);
            assertFalse(output.contains("FAIL"), "socket.io-client reported a failure\n" + client.describe());
            assertTrue(output.contains("PASS recovered after a drop"), "the run did not finish\n" + client.describe());
            assertEquals(0, status, "exit status\n" + client.describe());
        }
    }

    private static Optional<String> missing() {
        Optional<String> node = Peers.nodeMissing();
        if (node.isPresent()) {
            return node;
        }
        if (!Files.isRegularFile(Peers.nodeDirectory().resolve("node_modules/socket.io-client/package.json"))) {
            return Optional.of("the socket.io-client package is not installed: run 'npm ci' in " + Peers.nodeDirectory());
        }
        return Optional.empty();
    }
}
