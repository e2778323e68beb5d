package ws.interop;

import java.nio.file.Path;
import java.util.List;

/** python-websockets (Debian's python3-websockets) as a client of our server, on both transports. */
class PythonClientInteropTest extends ScriptedClientTest {
    @Override
    String peer() {
        return "python-websockets";
    }

    @Override
    String byeReason() {
        return "python-bye";
    }

    @Override
    void requirePeer() {
        PeerAssumptions.requirePeer(peer(), Peers::pythonMissing);
    }

    @Override
    Path directory() {
        return Peers.pythonDirectory();
    }

    @Override
    List<String> command(String scenario, String baseUrl) {
        return List.of(Peers.python(), "client.py", scenario, baseUrl);
    }
}
