package ws.testkit;

import java.nio.ByteBuffer;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/** The handler under test in these tests: echoes text upper-cased and binary as is; "bye" closes 1000. */
class Echo implements WebSocketListener {
    @Override
    public void onText(WebSocket webSocket, String text) {
        if (text.equals("bye")) {
            webSocket.close(1000, "bye");
            return;
        }
        webSocket.sendText(text.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        webSocket.sendBinary(data);
    }
}
