package ws.cli;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * The interactive client's listener: messages to standard output ({@code < text}, binary as a
 * size and hex summary), connection events to standard error.
 */
final class ConsoleListener implements WebSocketListener {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean verbose;
    /** Before the connection opened, a failure is reported once, by the connect command. */
    private volatile boolean opened;

    ConsoleListener(PrintStream out, PrintStream err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        opened = true;
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        out.println(Messages.text(text));
        out.flush();
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        out.println(Messages.binary(data));
        out.flush();
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        if (verbose) {
            err.println("* ping received (" + payload.remaining() + " bytes), pong sent");
        }
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        if (verbose) {
            err.println("* pong received (" + payload.remaining() + " bytes)");
        }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (opened) {
            err.println("* error: " + error);
        }
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        if (opened) {
            err.println("* closed: " + status);
        }
    }
}
