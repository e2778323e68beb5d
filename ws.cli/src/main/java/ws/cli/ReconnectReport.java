package ws.cli;

import java.nio.ByteBuffer;
import java.time.Duration;
import ws.protocol.CloseStatus;
import ws.protocol.api.ReconnectListener;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * {@code ws connect --reconnect}: passes every event to the command's listener and tells the
 * {@link Report} of the reconnections (for a person on standard error: {@code * reconnecting in 1.2 s
 * (attempt 3): ...}, {@code * reconnected to URL after 3 attempts}, {@code * gave up after 5 attempts};
 * with {@code --json}, event lines).
 */
final class ReconnectReport implements ReconnectListener {
    private final WebSocketListener listener;
    private final Report report;

    ReconnectReport(WebSocketListener listener, Report report) {
        this.listener = listener;
        this.report = report;
    }

    @Override
    public void onReconnecting(ReconnectingWebSocket webSocket, int attempt, Duration delay, CloseStatus cause) {
        report.reconnecting(attempt, delay, cause.cause() != null ? Errors.describe(cause.cause()) : cause.toString());
    }

    @Override
    public void onReconnected(ReconnectingWebSocket webSocket, int attempts) {
        report.reconnected(webSocket.uri(), attempts);
    }

    @Override
    public void onGaveUp(ReconnectingWebSocket webSocket, int attempts, CloseStatus cause) {
        report.gaveUp(attempts);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        listener.onOpen(webSocket);
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        listener.onText(webSocket, text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        listener.onBinary(webSocket, data);
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        listener.onPing(webSocket, payload);
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        listener.onPong(webSocket, payload);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        listener.onError(webSocket, error);
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        listener.onClose(webSocket, status);
    }
}
