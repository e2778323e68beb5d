package ws.benchmark.peers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import ws.transport.tls.TlsServerConfig;

/**
 * Jetty 12 echo and broadcast servers on Jetty's own WebSocket API (no servlets): an auto-demanding
 * listener per connection; binary echo hands the received buffer back with its callback (no copy).
 */
final class JettyPeer {
    private static final int MAX_MESSAGE = 16 << 20;

    private JettyPeer() {
    }

    /**
     * Starts the server; with TLS when {@code tls} is not null ({chain, key} in PEM): Jetty's
     * {@code SslConnectionFactory} over an {@code SSLContext} of the JDK's TLS made from those files.
     */
    static void start(PeerMain.Mode mode, int port, java.io.File[] tls) throws Exception {
        Server server = new Server();
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server);
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(TlsServerConfig.pem(tls[0].toPath(), tls[1].toPath()).createContext());
            connector = new ServerConnector(server, ssl);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        Set<Session> everyone = ConcurrentHashMap.newKeySet();
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(MAX_MESSAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE);
            container.setIdleTimeout(Duration.ofHours(1));
            container.addMapping("/*", (request, response, callback) ->
                    mode == PeerMain.Mode.ECHO ? new Echo() : new Broadcast(everyone));
        });
        context.setHandler(upgrade);
        server.setHandler(context);
        server.start();
    }

    /** Sends each message back. */
    public static final class Echo extends Session.Listener.AbstractAutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            getSession().sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            getSession().sendBinary(payload, callback);
        }
    }

    /** Sends each message to every open session. */
    public static final class Broadcast extends Session.Listener.AbstractAutoDemanding {
        private final Set<Session> everyone;

        Broadcast(Set<Session> everyone) {
            this.everyone = everyone;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            super.onWebSocketOpen(session);
            everyone.add(session);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            everyone.remove(getSession());
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            everyone.remove(getSession());
        }

        @Override
        public void onWebSocketText(String message) {
            for (Session session : everyone) {
                session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            for (Session session : everyone) {
                session.sendBinary(copy.slice(), Callback.NOOP);
            }
        }
    }
}
