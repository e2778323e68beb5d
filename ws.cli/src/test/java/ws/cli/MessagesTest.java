package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void textIsPrefixed() {
        assertEquals("< hello", Messages.text("hello"));
    }

    @Test
    void binaryShowsSizeAndHex() {
        assertEquals("< [binary 3 bytes] 00 7f ff", Messages.binary(ByteBuffer.wrap(new byte[] {0, 127, -1})));
        assertEquals("< [binary 1 byte] 2a", Messages.binary(ByteBuffer.wrap(new byte[] {42})));
        assertEquals("< [binary 0 bytes]", Messages.binary(ByteBuffer.allocate(0)));
    }

    @Test
    void longBinaryIsCutAfter32Bytes() {
        String line = Messages.binary(ByteBuffer.allocate(1000));
        assertEquals("< [binary 1000 bytes] " + "00 ".repeat(31) + "00 ...", line);
    }

    @Test
    void binaryDoesNotMoveTheBuffer() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2});
        Messages.binary(data);
        assertEquals(0, data.position());
    }

    @Test
    void echoUrlBracketsIpv6() {
        assertEquals("ws://127.0.0.1:8080/", ServerCommand.url("127.0.0.1", new java.net.InetSocketAddress(8080), false));
        assertEquals("ws://[::1]:9/", ServerCommand.url("::1", new java.net.InetSocketAddress(9), false));
    }
}
