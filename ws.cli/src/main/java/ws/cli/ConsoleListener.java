package ws.cli;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import ws.protocol.CloseStatus;
import ws.protocol.api.ReconnectListener;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;

/**
 * The interactive client's listener: tells the {@link Report} what happens, the opening first (so it
 * always comes before the first message). In echo mode, messages are sent back ({@link EchoListener})
 * instead of shown. Before the connection opened, a failure is not reported here: the connect command
 * reports it once. With {@code --reconnect}, the reconnections are told too ({@code * reconnecting in 1.2 s
 * (attempt 3): ...}, {@code * reconnected to URL after 3 attempts}, {@code * gave up after 5 attempts};
 * with {@code --json}, event lines); a plain connection never calls those.
 */
final class ConsoleListener implements ReconnectListener {
    private final Report report;
    private final URI uri;
    private final String mode;
    private final EchoListener echo;
    private volatile boolean opened;

    /**
     * @param mode what the client does once connected, for a person ("type messages; ...")
     * @param echo send every message back instead of showing it
     */
    ConsoleListener(Report report, URI uri, String mode, boolean echo) {
        this.report = report;
        this.uri = uri;
        this.mode = mode;
        this.echo = echo ? new EchoListener() : null;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        opened = true;
        report.connected(uri, webSocket, mode);
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        if (echo != null) {
            echo.onText(webSocket, text);
        } else {
            report.text(text);
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        if (echo != null) {
            echo.onBinary(webSocket, data);
        } else {
            report.binary(data);
        }
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        report.ping(payload);
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        report.pong(payload);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (opened) {
            report.error("error: " + error);
        }
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        if (opened) {
            report.closed(status);
        }
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
}
