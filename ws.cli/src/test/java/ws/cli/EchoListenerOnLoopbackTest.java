package ws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocketServer;
import ws.testkit.Frame;
import ws.testkit.Loopback;
import ws.testkit.RawPeer;

/** The echo handler under the real connection loop, on ws.testkit's loopback (no sockets). */
class EchoListenerOnLoopbackTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    final Loopback net = Loopback.create();
    final WebSocketServer server = net.startServer("/", new EchoListener());

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void textAndBinaryComeBackWithTheirType() {
        RawPeer peer = net.rawClient(server);
        peer.handshake("/");
        peer.sendText("hi");
        peer.sendBinary(new byte[] {1, 2, 3});
        assertEquals("hi", peer.awaitText(WAIT));
        assertArrayEquals(new byte[] {1, 2, 3}, peer.awaitBinary(WAIT));
    }

    @Test
    void aMessageReadTogetherWithThePeersCloseIsEchoedBeforeTheCloseNot1011() {
        RawPeer peer = net.rawClient(server);
        peer.handshake("/");
        // one write: the message and the close arrive in the same read
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(peer.frame(Frame.TEXT).payload("last words").encode());
        both.writeBytes(peer.frame(Frame.CLOSE).payload(new byte[] {0x03, (byte) 0xE8}).encode());
        peer.sendRaw(both.toByteArray());
        assertEquals("last words", peer.awaitText(WAIT));
        CloseStatus close = peer.awaitClose(WAIT);
        assertEquals(1000, close.code());
        peer.assertNoMoreFrames();
    }
}
