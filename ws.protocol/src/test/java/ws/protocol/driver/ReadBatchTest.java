package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.Hex;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/**
 * The reading thread's answers to one read: queued as one item after the read's events (not one per
 * send), counted in {@code bufferedAmount} meanwhile, their futures completed once written, and the
 * engine's output buffer written over again once everything before was written.
 */
@DisplayName("ConnectionDriver: the reader's sends of one read go out together")
class ReadBatchTest {
    private static final int MESSAGES = 16;
    private static final int FRAME = 2 + 64; // an unmasked 64-byte text frame from the server

    /** The inline-writing wire of {@link OutboundInlineTest}, also recording the buffers of each non-blocking write. */
    static final class RecordingSink extends OutboundInlineTest.PartialWire {
        final List<ByteBuffer[]> writes = new ArrayList<>();

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
            synchronized (this) {
                writes.add(java.util.Arrays.copyOfRange(buffers, offset, offset + length));
            }
            return super.tryWrite(buffers, offset, length);
        }

        synchronized void reset() {
            written.reset();
            writes.clear();
        }
    }

    /** Echoes every text, recording its send's future and the buffered amount right after it. */
    static final class Echo implements WebSocketListener {
        final List<CompletableFuture<Void>> futures = new ArrayList<>();
        final List<Long> buffered = new ArrayList<>();
        final List<Boolean> doneAtOnce = new ArrayList<>();

        @Override
        public void onText(WebSocket webSocket, String text) {
            CompletableFuture<Void> sent = webSocket.sendText(text);
            futures.add(sent);
            buffered.add(webSocket.bufferedAmount());
            doneAtOnce.add(sent.isDone());
        }
    }

    private static ConnectionDriver open(WebSocketListener listener, RecordingSink sink) {
        ConnectionDriver driver = ConnectionDriver.server(new TestHost() {
            private final ConnectionOptions options = ConnectionOptions.defaults()
                    .withKeepAlive(Duration.ZERO, Duration.ofSeconds(10));

            @Override
            public ConnectionOptions connectionOptions() {
                return options;
            }

            @Override
            public Executor writers() {
                return OutboundTest.writers("batch");
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
                return new UpgradeDecision.Accept(listener, "", HttpHeaders.empty(), Map.of());
            }
        });
        driver.start(sink, null);
        driver.receive(ByteBuffer.wrap(TestHost.REQUEST));
        assertTrue(driver.isOpen());
        sink.reset();
        return driver;
    }

    /** {@link #MESSAGES} masked 64-byte texts, as one read; the {@code i}-th payload is 64 times the char {@code first + i}. */
    private static ByteBuffer read(char first) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < MESSAGES; i++) {
            frames.writeBytes(Hex.frame(0x81, text((char) (first + i)).getBytes(StandardCharsets.US_ASCII), true, 0x1234_5678));
        }
        return ByteBuffer.wrap(frames.toByteArray());
    }

    private static String text(char c) {
        return String.valueOf(c).repeat(64);
    }

    /** The server's frames echoing {@link #read(char)}. */
    private static byte[] echoed(char first) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < MESSAGES; i++) {
            frames.writeBytes(Hex.frame(0x81, text((char) (first + i)).getBytes(StandardCharsets.US_ASCII), false, 0));
        }
        return frames.toByteArray();
    }

    @Test
    @DisplayName("16 messages in one read: their 16 answers are one buffer in one write, every future done after it")
    void oneItemPerRead() {
        RecordingSink sink = new RecordingSink();
        Echo echo = new Echo();
        ConnectionDriver driver = open(echo, sink);
        driver.receive(read('a'));
        assertEquals(1, sink.writes.size(), "one write");
        assertEquals(1, sink.writes.get(0).length, "of one buffer: the answers were queued as one item, not one each");
        assertArrayEquals(echoed('a'), sink.written.toByteArray());
        assertEquals(MESSAGES, echo.futures.size());
        assertFalse(echo.doneAtOnce.contains(true), "nothing is written while the read's events are dispatched");
        assertTrue(echo.futures.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()));
        assertEquals(0, driver.bufferedAmount());
    }

    @Test
    @DisplayName("bufferedAmount counts the answers held back for the read's end, exactly, one after the other")
    void bufferedAmountExact() {
        RecordingSink sink = new RecordingSink();
        Echo echo = new Echo();
        ConnectionDriver driver = open(echo, sink);
        driver.receive(read('a'));
        List<Long> expected = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            expected.add((long) i * FRAME);
        }
        assertEquals(expected, echo.buffered);
    }

    @Test
    @DisplayName("once a read's answers are written, the next read's are written over the same buffer: none allocated per read")
    void outputBufferReused() {
        RecordingSink sink = new RecordingSink();
        ConnectionDriver driver = open(new Echo(), sink);
        driver.receive(read('a'));
        ByteBuffer first = sink.writes.get(0)[0];
        driver.receive(read('A'));
        ByteBuffer second = sink.writes.get(1)[0];
        assertSame(first.array(), second.array());
        assertEquals(first.arrayOffset(), second.arrayOffset(), "from the same place");
        assertArrayEquals(Hex.concat(echoed('a'), echoed('A')), sink.written.toByteArray());
    }

    @Test
    @DisplayName("answers the socket did not take yet are never written over by the next read's: the bytes arrive intact")
    void notWrittenNotReused() throws Exception {
        RecordingSink sink = new RecordingSink();
        Echo echo = new Echo();
        ConnectionDriver driver = open(echo, sink);
        sink.room = 100; // the socket takes 100 bytes at once; the rest waits for the hand-off writer, held
        sink.gate = new CountDownLatch(1);
        driver.receive(read('a'));
        assertTrue(sink.entered.await(10, TimeUnit.SECONDS));
        driver.receive(read('A'));
        assertTrue(echo.futures.stream().noneMatch(CompletableFuture::isDone), "the first read's last answer is not written");
        assertEquals(2L * MESSAGES * FRAME - 100, driver.bufferedAmount());
        sink.gate.countDown();
        CompletableFuture.allOf(echo.futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertArrayEquals(Hex.concat(echoed('a'), echoed('A')), sink.written.toByteArray());
        assertEquals(0, driver.bufferedAmount());
    }

    @Test
    @DisplayName("the connection fails before a read's answers are written: all their futures fail")
    void failedBeforeWritten() throws Exception {
        RecordingSink sink = new RecordingSink();
        Echo echo = new Echo();
        ConnectionDriver driver = open(echo, sink);
        sink.room = 0;
        sink.gate = new CountDownLatch(1);
        driver.receive(read('a'));
        assertTrue(sink.entered.await(10, TimeUnit.SECONDS));
        driver.abort();
        sink.failWith = new IOException("reset"); // the held write fails
        sink.gate.countDown();
        driver.readFailed(new IOException("reset"));
        driver.finish();
        assertEquals(MESSAGES, echo.futures.size(), "every message was answered (else the loop below checks nothing)");
        for (CompletableFuture<Void> future : echo.futures) {
            assertTrue(future.isCompletedExceptionally());
        }
        assertEquals(0, driver.bufferedAmount());
    }
}
