package ws.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import ws.protocol.api.WebSocketServer;

/**
 * {@code ws echo}: a server that sends every message back, on every path. Built for conformance
 * suites and load tests, with the options and behaviour of every server command
 * ({@link ServerCommand}): {@code ws echo} is the plain RFC 6455 target, {@code ws echo --deflate}
 * the RFC 7692 one (it accepts permessage-deflate).
 */
final class EchoCommand {
    private final ServerCommand server;

    private EchoCommand(ServerCommand server) {
        this.server = server;
    }

    static EchoCommand parse(List<String> args) throws UsageException {
        return new EchoCommand(ServerCommand.parse("echo", args));
    }

    /** Binds and starts the server; it runs until {@link WebSocketServer#shutdown} or close. */
    WebSocketServer start() throws IOException {
        return server.start(new EchoListener());
    }

    /** Starts the server and runs it until SIGINT or SIGTERM ({@link ServerCommand#run}). */
    int run(PrintStream out) throws IOException, InterruptedException {
        return server.run(start(), out);
    }
}
