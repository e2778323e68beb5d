package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One input reads for many channels (as one {@link DriverInput} does for every WebSocket connection of
 * its server): each read names the channel it came from, so the input keeps nothing per connection.
 */
class SharedInputTest {
    private final LoopGroup group;

    SharedInputTest() throws Exception {
        group = new LoopGroup("test-shared", 1, true, 1024);
    }

    @AfterEach
    void stop() {
        group.stop();
    }

    @Test
    void eachReadNamesItsChannel() throws Exception {
        BlockingQueue<String> reads = new LinkedBlockingQueue<>();
        LoopChannel[] channels = new LoopChannel[2];
        LoopChannel.Input shared = new LoopChannel.Input() {
            @Override
            public void received(LoopChannel channel, ByteBuffer data) {
                reads.add((channel == channels[0] ? "first: " : channel == channels[1] ? "second: " : "unknown: ")
                        + StandardCharsets.US_ASCII.decode(data));
            }

            @Override
            public void endOfInput(LoopChannel channel) {
            }

            @Override
            public void failed(LoopChannel channel, IOException error) {
            }
        };
        try (ServerSocketChannel listening = ServerSocketChannel.open()) {
            listening.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel one = SocketChannel.open(listening.getLocalAddress());
                 SocketChannel acceptedOne = listening.accept();
                 SocketChannel two = SocketChannel.open(listening.getLocalAddress());
                 SocketChannel acceptedTwo = listening.accept()) {
                Loop loop = group.first();
                CountDownLatch registered = new CountDownLatch(1);
                loop.execute(() -> {
                    try {
                        for (int i = 0; i < 2; i++) {
                            SocketChannel accepted = i == 0 ? acceptedOne : acceptedTwo;
                            accepted.configureBlocking(false);
                            channels[i] = LoopChannel.accepted(loop, accepted);
                            channels[i].switchTo(shared, null);
                            channels[i].register(shared);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    registered.countDown();
                });
                assertTrue(registered.await(10, TimeUnit.SECONDS));
                assertNull(channels[0].driver(), "no driver given: none");
                one.write(ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("first: one", reads.poll(10, TimeUnit.SECONDS));
                two.write(ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("second: two", reads.poll(10, TimeUnit.SECONDS));
                channels[0].close();
                channels[1].close();
            }
        }
    }
}
