package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server's plain accepted connection and TCP_NODELAY: not set at accept (a connection that writes
 * only its 101 never needs it: Nagle's algorithm holds back a segment only while earlier data is
 * unacknowledged, and before the first write there is none), set before the second write, so every
 * write that could be held back goes out at once. Read through the socket's own option.
 */
class AcceptedChannelTest {
    private final LoopGroup group;

    AcceptedChannelTest() throws Exception {
        group = new LoopGroup("test-accepted", 1, true, 1024);
    }

    @AfterEach
    void stop() {
        group.stop();
    }

    @Test
    void noDelayIsSetBeforeTheSecondWriteNotAtAccept() throws Exception {
        try (ServerSocketChannel listening = ServerSocketChannel.open()) {
            listening.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel client = SocketChannel.open(listening.getLocalAddress());
                 SocketChannel accepted = listening.accept()) {
                accepted.configureBlocking(false);
                LoopChannel channel = LoopChannel.accepted(group.first(), accepted);
                assertFalse(accepted.getOption(StandardSocketOptions.TCP_NODELAY), "not set at accept");

                channel.tryWrite(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)));
                assertFalse(accepted.getOption(StandardSocketOptions.TCP_NODELAY), "the first write needs none");

                channel.write(new ByteBuffer[] {ByteBuffer.wrap("second".getBytes(StandardCharsets.US_ASCII))}, 0, 1);
                assertTrue(accepted.getOption(StandardSocketOptions.TCP_NODELAY), "set before the second write");

                channel.tryWrite(ByteBuffer.wrap("third".getBytes(StandardCharsets.US_ASCII)));
                assertTrue(accepted.getOption(StandardSocketOptions.TCP_NODELAY));

                ByteBuffer received = ByteBuffer.allocate(16);
                while (received.position() < "firstsecondthird".length()) {
                    assertTrue(client.read(received) > 0);
                }
                assertArrayEquals("firstsecondthird".getBytes(StandardCharsets.US_ASCII),
                        java.util.Arrays.copyOf(received.array(), received.position()));
                assertEquals(0, group.first().buffersLent());
            }
        }
    }
}
