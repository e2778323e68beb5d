package ws.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import ws.protocol.CloseStatus;
import ws.protocol.api.ReconnectListener;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * {@code ws connect --reconnect}: passes every event to the command's listener and reports the
 * reconnections on standard error ({@code * reconnecting in 1.2 s (attempt 3): ...},
 * {@code * reconnected to URL after 3 attempts}, {@code * gave up after 5 attempts}).
 */
final class ReconnectReport implements ReconnectListener {
    private final WebSocketListener listener;
    private final PrintStream err;

    ReconnectReport(WebSocketListener listener, PrintStream err) {
        this.listener = listener;
        this.err = err;
    }

    @Override
    public void onReconnecting(ReconnectingWebSocket webSocket, int attempt, Duration delay, CloseStatus cause) {
        err.println("* reconnecting in " + String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0) + " s (attempt "
                + attempt + "): " + (cause.cause() != null ? Errors.describe(cause.cause()) : cause));
    }

    @Override
    public void onReconnected(ReconnectingWebSocket webSocket, int attempts) {
        err.println("* reconnected to " + webSocket.uri() + " after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
    }

    @Override
    public void onGaveUp(ReconnectingWebSocket webSocket, int attempts, CloseStatus cause) {
        err.println("* gave up after " + attempts + (attempts == 1 ? " attempt" : " attempts"));
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
