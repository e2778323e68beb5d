package ws.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import ws.protocol.api.WebSocket;

class EchoListenerTest {
    private final WebSocket webSocket = mock(WebSocket.class);
    private final EchoListener echo = new EchoListener();

    @Test
    void textGoesBackAsTextAndBinaryAsBinary() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2});
        echo.onText(webSocket, "hi");
        echo.onBinary(webSocket, data);
        verify(webSocket).sendText("hi");
        verify(webSocket).sendBinary(data);
    }

    @Test
    void aMessageThatArrivedWithThePeersCloseIsDroppedQuietly() {
        when(webSocket.id()).thenReturn("ws-1");
        when(webSocket.sendText("late")).thenThrow(new IllegalStateException("cannot send: the connection is CLOSED"));
        when(webSocket.sendBinary(ByteBuffer.allocate(0))).thenThrow(new IllegalStateException("closed"));
        assertDoesNotThrow(() -> echo.onText(webSocket, "late"));
        assertDoesNotThrow(() -> echo.onBinary(webSocket, ByteBuffer.allocate(0)));
    }
}
