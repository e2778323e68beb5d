package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.protocol.stream.MessageStreams;
import ws.protocol.stream.StreamingListener;

/**
 * A 1 GiB message through a JVM whose whole heap is 64 MiB, both ways: the client streams it to the
 * server, whose handler streams it back as it reads. Runs in its own Surefire execution with
 * {@code -Xmx64m} (see ws.testkit's pom: that execution runs this test whatever {@code -Dtest} says); it fails at
 * once in a JVM with a larger heap, where it would prove nothing (so {@code -Dtest=LargeMessageTest},
 * which also selects it for the default execution, reports that failure next to the real run).
 */
class LargeMessageTest {
    static final long SIZE = 1L << 30;
    static final int CHUNK = 64 << 10;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aGibibyteMessageStreamsBothWaysThrough64MiBOfHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 64L << 20,
                "run with -Xmx64m: the heap is " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        try (Loopback net = Loopback.withSystemClock()) {
            // the default maxStreamedMessageSize is 1 GiB: exactly this message
            WebSocketServer server = net.startServer("/echo", MessageStreams.receiving(new StreamingListener() {
                @Override
                public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
                    try (OutputStream back = MessageStreams.outputStream(ws)) {
                        data.transferTo(back);
                    }
                }
            }));
            CompletableFuture<long[]> echoed = new CompletableFuture<>();
            WebSocket client = net.client().connect(net.uri(server, "/echo"), MessageStreams.receiving(new StreamingListener() {
                @Override
                public void onBinaryStream(WebSocket ws, InputStream data) throws IOException {
                    echoed.complete(lengthAndCrc(data));
                }
            })).get(10, TimeUnit.SECONDS);
            CRC32 sent = new CRC32();
            SplittableRandom random = new SplittableRandom(6455);
            byte[] chunk = new byte[CHUNK];
            try (OutputStream out = MessageStreams.outputStream(client)) {
                for (long written = 0; written < SIZE; written += CHUNK) {
                    random.nextBytes(chunk);
                    sent.update(chunk);
                    out.write(chunk);
                }
            }
            long[] received = echoed.get(4, TimeUnit.MINUTES);
            assertEquals(SIZE, received[0]);
            assertEquals(sent.getValue(), received[1]);
            client.close().get(10, TimeUnit.SECONDS);
        }
    }

    static long[] lengthAndCrc(InputStream data) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = data.read(buffer)) >= 0) {
            crc.update(buffer, 0, n);
            total += n;
        }
        return new long[] {total, crc.getValue()};
    }
}
