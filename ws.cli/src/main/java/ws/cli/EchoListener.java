package ws.cli;

import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * Sends every message back unchanged, with the same type: text as text, binary as binary. Shared
 * by the echo server and the client's {@code --echo} mode.
 */
final class EchoListener implements WebSocketListener {
    private static final Logger LOG = LoggerFactory.getLogger(EchoListener.class);

    @Override
    public void onOpen(WebSocket webSocket) {
        LOG.debug("{} open from {} path {}", webSocket.id(), webSocket.remoteAddress(), webSocket.request().target());
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        webSocket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        webSocket.sendBinary(data);
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
