package ws.interop;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Node's ws package as a client of our server, on both transports. */
class NodeClientInteropTest extends ScriptedClientTest {
    @Override
    String peer() {
        return "node ws";
    }

    @Override
    String byeReason() {
        return "node-bye";
    }

    @Override
    void requirePeer() {
        PeerAssumptions.requirePeer(peer(), Peers::nodeMissing);
    }

    @Override
    Path directory() {
        return Peers.nodeDirectory();
    }

    /**
     * permessage-deflate with context takeover off in both directions (node asks for
     * server_no_context_takeover and announces client_no_context_takeover) and on (the default),
     * with repeated similar messages; node-only scenarios of client.mjs.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("contextTakeoverScenarios")
    void contextTakeover(String transport, String scenario) throws Exception {
        scenario(transport, scenario);
    }

    static Stream<Arguments> contextTakeoverScenarios() {
        return Stream.of("blocking", "virtual", "eventloop").flatMap(transport -> Stream.of("deflate-no-context", "deflate-context")
                .map(scenario -> Arguments.of(transport, scenario)));
    }

    @Override
    List<String> command(String scenario, String baseUrl) {
        return List.of("node", "client.mjs", scenario, baseUrl);
    }
}
