package ws.benchmark.peers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket 1.6 echo and broadcast servers: its {@link WebSocketServer} with TCP_NODELAY;
 * broadcast through its own {@code broadcast}, which encodes the frame once.
 */
final class JavaWebSocketPeer extends WebSocketServer {
    private final PeerMain.Mode mode;

    private JavaWebSocketPeer(PeerMain.Mode mode, int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        this.mode = mode;
        setTcpNoDelay(true);
        setReuseAddr(true);
        setMaxPendingConnections(4096); // the accept backlog, as every other server here
    }

    static void start(PeerMain.Mode mode, int port) throws InterruptedException {
        JavaWebSocketPeer server = new JavaWebSocketPeer(mode, port);
        server.start();
        // start() returns before the socket is bound: wait until it accepts
        for (int i = 0; i < 200 && !isListening(port); i++) {
            Thread.sleep(25);
        }
    }

    private static boolean isListening(int port) {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (mode == PeerMain.Mode.ECHO) {
            conn.send(message);
        } else {
            broadcast(message);
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        if (mode == PeerMain.Mode.ECHO) {
            conn.send(message);
        } else {
            broadcast(message);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
    }
}
