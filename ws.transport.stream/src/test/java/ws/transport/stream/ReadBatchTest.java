package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.FrameWriter;
import ws.protocol.Opcode;
import ws.protocol.Side;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.Scheduler;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/**
 * A burst of small messages larger than the resident read buffer is read in one piece and answered
 * with one write: the reader does not hand the engine the first {@link ReadBuffers#SMALL} bytes, write
 * their answers, then read and answer the rest (two writes where one does).
 */
@DisplayName("Read batches: a burst is read, handled and answered in one piece")
class ReadBatchTest {
    /**
     * A wire whose peer sends bursts: each burst is there at once (available() counts what is left of
     * it), and the next arrives only after the answers to this one were written.
     */
    private static final class BurstWire implements Wire {
        final ArrayDeque<byte[]> bursts;
        final List<String> log;
        /** Whether the next burst has arrived before the reader reads again (a peer with messages in flight). */
        boolean nextWaiting;
        private ByteBuffer current = ByteBuffer.allocate(0);

        BurstWire(ArrayDeque<byte[]> bursts, List<String> log) {
            this.bursts = bursts;
            this.log = log;
        }

        @Override
        public int read(ByteBuffer buffer) {
            if (!current.hasRemaining()) {
                byte[] next = bursts.poll();
                if (next == null) {
                    return -1;
                }
                current = ByteBuffer.wrap(next);
            }
            int n = Math.min(buffer.remaining(), current.remaining());
            buffer.put(current.slice(current.position(), n));
            current.position(current.position() + n);
            log.add("read " + n);
            return n;
        }

        @Override
        public int available() {
            if (!current.hasRemaining() && nextWaiting && !bursts.isEmpty()) {
                return bursts.peek().length;
            }
            return current.remaining();
        }

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length) {
            tryWrite(buffers, offset, length);
        }

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += buffers[i].remaining();
                buffers[i].position(buffers[i].limit());
            }
            log.add("write");
            return n;
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public SocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("peer", 1);
        }

        @Override
        public SocketAddress localAddress() {
            return InetSocketAddress.createUnresolved("local", 2);
        }

        @Override
        public String describe() {
            return "burst wire";
        }
    }

    /** An echo server's host, with no timers; every hand-off writer start is logged. */
    private static ConnectionHost echoHost(List<String> log) {
        ConnectionOptions options = ConnectionOptions.defaults().withKeepAlive(Duration.ZERO, Duration.ofSeconds(10))
                .withCloseTimeout(Duration.ofMillis(1));
        WebSocketListener echo = new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                log.add("message");
                webSocket.sendText(text);
            }
        };
        return new ConnectionHost() {
            @Override
            public Scheduler scheduler() {
                return new Scheduler() {
                    @Override
                    public long nanoTime() {
                        return 0;
                    }

                    @Override
                    public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
                        return CompletableFuture.completedFuture(null);
                    }
                };
            }

            @Override
            public ConnectionOptions connectionOptions() {
                return options;
            }

            @Override
            public Executor writers() {
                return task -> {
                    log.add("hand-off");
                    task.run();
                };
            }

            @Override
            public void opened(ConnectionDriver connection) {
            }

            @Override
            public void ended(ConnectionDriver connection) {
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
                return new UpgradeDecision.Accept(echo, "", HttpHeaders.empty(), Map.of());
            }
        };
    }

    /** {@code count} masked 64-byte texts (70 bytes each on the wire), as the small-echo benchmark sends them. */
    private static byte[] texts(int count) {
        FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(1));
        ByteBuffer out = ByteBuffer.allocate(80 * count);
        for (int i = 0; i < count; i++) {
            writer.writeFrame(out, true, 0, Opcode.TEXT, ByteBuffer.wrap("x".repeat(64).getBytes(StandardCharsets.US_ASCII)));
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @Test
    @DisplayName("16 texts (1,120 bytes, past the 512-byte resident buffer): two reads, 16 messages, one write")
    void burstPastTheResidentBufferIsOneBatch() {
        List<String> log = new ArrayList<>();
        ArrayDeque<byte[]> bursts = new ArrayDeque<>();
        bursts.add(REQUEST.getBytes(StandardCharsets.US_ASCII));
        bursts.add(texts(16));
        bursts.add(texts(16));
        new StreamConnection(ConnectionDriver.server(echoHost(log)), d -> new BurstWire(bursts, log), null, 32 << 10,
                () -> log.add("turn")).run();
        List<String> batch = new ArrayList<>(List.of("read " + ReadBuffers.SMALL, "read " + (16 * 70 - ReadBuffers.SMALL)));
        batch.addAll(java.util.Collections.nCopies(16, "message"));
        batch.addAll(List.of("write", "turn"));
        List<String> expected = new ArrayList<>(List.of("read " + REQUEST.length(), "write", "turn"));
        expected.addAll(batch);
        expected.addAll(batch);
        // the end: the peer's FIN, then our close frame (there is nothing else to write) on the hand-off writer
        assertEquals(expected, log.subList(0, expected.size()),
                "each burst: the rest read into the same buffer, then every message handled, then one write, no hand-off");
    }

    @Test
    @DisplayName("a burst that fits the resident buffer is one read, and nothing waits to be read after it")
    void smallBurstIsOneRead() {
        List<String> log = new ArrayList<>();
        ArrayDeque<byte[]> bursts = new ArrayDeque<>();
        bursts.add(REQUEST.getBytes(StandardCharsets.US_ASCII));
        bursts.add(texts(3));
        new StreamConnection(ConnectionDriver.server(echoHost(log)), d -> new BurstWire(bursts, log), null, 32 << 10,
                () -> log.add("turn")).run();
        assertEquals(List.of("read " + REQUEST.length(), "write", "turn", "read 210", "message", "message", "message",
                "write", "turn"), log.subList(0, 9));
    }

    @Test
    @DisplayName("after a burst, the next one already waiting is read whole into a full-size buffer: one read, one write")
    void waitingBurstAfterABurstIsOneRead() {
        List<String> log = new ArrayList<>();
        ArrayDeque<byte[]> bursts = new ArrayDeque<>();
        bursts.add(REQUEST.getBytes(StandardCharsets.US_ASCII));
        bursts.add(texts(16));
        bursts.add(texts(16));
        BurstWire wire = new BurstWire(bursts, log);
        wire.nextWaiting = true;
        new StreamConnection(ConnectionDriver.server(echoHost(log)), d -> wire, null, 32 << 10, () -> log.add("turn")).run();
        List<String> expected = new ArrayList<>(List.of("read " + REQUEST.length(), "write", "turn",
                "read " + ReadBuffers.SMALL, "read " + (16 * 70 - ReadBuffers.SMALL)));
        expected.addAll(java.util.Collections.nCopies(16, "message"));
        expected.addAll(List.of("write", "turn", "read " + 16 * 70));
        expected.addAll(java.util.Collections.nCopies(16, "message"));
        expected.addAll(List.of("write", "turn"));
        assertEquals(expected, log.subList(0, expected.size()));
    }
}
