package ws.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * {@code ws broadcast}: a server on every path that sends every message received from any client
 * to every connected client, the sender included, with the same type. Each message is encoded once
 * ({@link PreparedMessage}) and the same frame bytes go to every connection that negotiated no
 * extension. The options and the shutdown are those of {@code ws echo}.
 */
final class BroadcastCommand {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastCommand.class);

    private final String host;
    private final int port;
    private final Transport transport;
    private final boolean extensions;

    BroadcastCommand(String host, int port, Transport transport, boolean extensions) {
        this.host = host;
        this.port = port;
        this.transport = transport;
        this.extensions = extensions;
    }

    static BroadcastCommand parse(List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, EchoCommand.VALUE_OPTIONS, EchoCommand.FLAG_OPTIONS);
        if (!line.positional().isEmpty()) {
            throw new UsageException("broadcast takes no arguments, got \"" + line.positional().get(0) + "\"");
        }
        int port = line.intValue("port", 8080, 0, 65535);
        String host = line.value("host", "127.0.0.1");
        if (host.isBlank()) {
            throw new UsageException("--host must not be empty");
        }
        return new BroadcastCommand(host, port, Choices.transport(line.value("transport", null)),
                !line.flag("no-extensions"));
    }

    /** Binds and starts the server; it runs until {@link WebSocketServer#shutdown} or close. */
    WebSocketServer start() throws IOException {
        AtomicReference<WebSocketServer> self = new AtomicReference<>();
        WebSocketServer server = WebSocketServer.builder()
                .host(host)
                .port(port)
                .transport(transport)
                .route("/*", new Fanout(self))
                .connection(options -> options
                        .withExtensions(Choices.extensions(extensions))
                        .withIdleTimeout(Duration.ZERO)
                        .withBackpressure(EchoCommand.HIGH_WATER_MARK, BackpressurePolicy.WAIT))
                .start();
        self.set(server);
        return server;
    }

    /** As {@link EchoCommand#run}: prints the address, then runs until SIGINT or SIGTERM. */
    int run(PrintStream out) throws IOException, InterruptedException {
        WebSocketServer server = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ws-broadcast-shutdown").unstarted(() -> {
            try {
                server.shutdown(EchoCommand.SHUTDOWN_GRACE)
                        .get(EchoCommand.SHUTDOWN_GRACE.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown did not finish cleanly: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }));
        out.println("listening on " + EchoCommand.url(host, server.address()));
        out.flush();
        stopped.await();
        return 0;
    }

    /** Sends each message to every open connection of the server, encoded once. */
    private static final class Fanout implements WebSocketListener {
        private final AtomicReference<WebSocketServer> server;

        Fanout(AtomicReference<WebSocketServer> server) {
            this.server = server;
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            server.get().broadcast(PreparedMessage.text(text));
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            server.get().broadcast(PreparedMessage.binary(data));
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            LOG.debug("{} error: {}", webSocket.id(), error.toString());
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            LOG.debug("{} closed: {}", webSocket.id(), status);
        }
    }
}
