package ws.interop;

import java.nio.file.Path;
import java.util.List;

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

    @Override
    List<String> command(String scenario, String baseUrl) {
        return List.of("node", "client.mjs", scenario, baseUrl);
    }
}
