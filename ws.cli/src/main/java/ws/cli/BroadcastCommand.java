package ws.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * {@code ws broadcast}: a server on every path that sends every message received from any client
 * to every connected client, the sender included, with the same type. Each message is encoded once
 * ({@link PreparedMessage}) and the same frame bytes go to every connection that negotiated no
 * extension. The options (permessage-deflate with {@code --deflate}, wss:// with {@code --tls}) and
 * the shutdown are those of every server command ({@link ServerCommand}).
 */
final class BroadcastCommand {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastCommand.class);

    private final ServerCommand server;

    private BroadcastCommand(ServerCommand server) {
        this.server = server;
    }

    static BroadcastCommand parse(List<String> args) throws UsageException {
        return new BroadcastCommand(ServerCommand.parse("broadcast", args));
    }

    /** Binds and starts the server; it runs until {@link WebSocketServer#shutdown} or close. */
    WebSocketServer start() throws IOException {
        AtomicReference<WebSocketServer> self = new AtomicReference<>();
        WebSocketServer started = server.start(new Fanout(self));
        self.set(started);
        return started;
    }

    /** Starts the server and runs it until SIGINT or SIGTERM ({@link ServerCommand#run}). */
    int run(PrintStream out) throws IOException, InterruptedException {
        return server.run(start(), out);
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
