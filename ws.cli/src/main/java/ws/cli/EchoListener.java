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
        if (LOG.isDebugEnabled()) { // request() rebuilds the request a server keeps packed
            LOG.debug("{} open from {} path {}", webSocket.id(), webSocket.remoteAddress(), webSocket.request().target());
        }
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        try {
            webSocket.sendText(text);
        } catch (IllegalStateException e) {
            closedMeanwhile(webSocket, e);
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        try {
            webSocket.sendBinary(data);
        } catch (IllegalStateException e) {
            closedMeanwhile(webSocket, e);
        }
    }

    /**
     * A message that arrived together with the peer's close frame can no longer be echoed once
     * the close was answered: that is the end of the connection, not a failure of the listener
     * (which would turn the orderly close into a 1011).
     */
    private static void closedMeanwhile(WebSocket webSocket, IllegalStateException e) {
        LOG.debug("{} not echoed: {}", webSocket.id(), e.getMessage());
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
