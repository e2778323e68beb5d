package ws.events.redis;

import java.io.IOException;

/**
 * One node of a test cluster in a process of its own: {@code NodeProcess REDIS_URI [sharded]}
 * prints {@code listening PORT}, then serves until its standard input closes.
 */
public final class NodeProcess {
    private NodeProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (Node node = new Node(args[0], builder -> builder,
                adapter -> adapter.sharded(args.length > 1 && args[1].equals("sharded")))) {
            ClusterTest.wire(node.events);
            System.out.println("listening " + node.server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input (or kills us)
            }
        } catch (IOException e) {
            // input gone: stop
        }
    }
}
