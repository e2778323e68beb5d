package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.FrameWriter;
import ws.protocol.Opcode;
import ws.protocol.Side;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;

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
    private static final class BurstWire extends StreamTestSupport.ScriptedWire {
        final ArrayDeque<byte[]> bursts;
        final List<String> log;
        /** Whether the next burst has arrived before the reader reads again (a peer with messages in flight). */
        boolean nextWaiting;
        private ByteBuffer current = ByteBuffer.allocate(0);

        BurstWire(ArrayDeque<byte[]> bursts, List<String> log) {
            this.bursts = bursts;
            this.log = log;
        }

        /** The capacity of the buffer of the last {@link #read} (one that may wait) that gave bytes. */
        int lastReadCapacity;

        @Override
        public int read(ByteBuffer buffer) {
            int n = take(buffer);
            if (n > 0) {
                lastReadCapacity = buffer.capacity();
            }
            return n;
        }

        private int take(ByteBuffer buffer) {
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

        /** How many times the reader asked how many bytes wait (a FIONREAD on a socket). */
        int probes;
        /** Whether its {@link #readNow} sees every byte that arrived, as a socket channel's does. */
        boolean seesAll;

        @Override
        public boolean readNowSeesAll() {
            return seesAll;
        }

        /** {@inheritDoc} What a socket's reader pays an {@code ioctl(FIONREAD)} for: counted. */
        @Override
        public int available() {
            probes++;
            if (!current.hasRemaining() && nextWaiting && !bursts.isEmpty()) {
                return bursts.peek().length;
            }
            return current.remaining();
        }

        /** A read that does not wait, as on a socket: what is there (the next burst if it arrived), or 0. */
        @Override
        public int readNow(ByteBuffer buffer) {
            if (!current.hasRemaining() && !(nextWaiting && !bursts.isEmpty())) {
                return 0;
            }
            return take(buffer);
        }

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
            log.add("write");
            return super.tryWrite(buffers, offset, length);
        }
    }

    /** An echo server's host, with no timers; every hand-off writer start is logged. */
    private static ConnectionHost echoHost(List<String> log) {
        return StreamTestSupport.host(new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                log.add("message");
                webSocket.sendText(text);
            }
        }, task -> {
            log.add("hand-off");
            task.run();
        });
    }

    /**
     * Serves the request, then {@code bursts}, on a connection over a {@link BurstWire} run to its end
     * on a virtual thread (as the virtual-thread transport does) or on the calling platform thread.
     */
    private static BurstWire serve(boolean virtual, boolean nextWaiting, List<String> log, byte[]... bursts) {
        return serve(virtual, nextWaiting, false, log, bursts);
    }

    /** As above, over a wire whose look sees every byte that arrived ({@code seesAll}) or not. */
    private static BurstWire serve(boolean virtual, boolean nextWaiting, boolean seesAll, List<String> log,
                                   byte[]... bursts) {
        ArrayDeque<byte[]> input = new ArrayDeque<>();
        input.add(REQUEST.getBytes(StandardCharsets.US_ASCII));
        input.addAll(List.of(bursts));
        BurstWire wire = new BurstWire(input, log);
        wire.nextWaiting = nextWaiting;
        wire.seesAll = seesAll;
        StreamConnection connection = new StreamConnection(ConnectionDriver.server(echoHost(log)), d -> wire, null,
                32 << 10, () -> log.add("turn"));
        if (virtual) {
            try {
                Thread.ofVirtual().start(connection::run).join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        } else {
            connection.run();
        }
        return wire;
    }

    /** The log of the request's answer, then of each of {@code batches}. */
    @SafeVarargs
    private static List<String> expected(List<String>... batches) {
        List<String> expected = new ArrayList<>(List.of("read " + REQUEST.length(), "write", "turn"));
        for (List<String> batch : batches) {
            expected.addAll(batch);
        }
        return expected;
    }

    /** One batch of {@code messages} read in {@code reads}: the messages, then one write. */
    private static List<String> batch(List<Integer> reads, int messages) {
        List<String> batch = new ArrayList<>();
        reads.forEach(n -> batch.add("read " + n));
        batch.addAll(java.util.Collections.nCopies(messages, "message"));
        batch.addAll(List.of("write", "turn"));
        return batch;
    }

    /** 16 texts read as the resident buffer's 512 bytes, then the rest. */
    private static final List<Integer> SPLIT = List.of(ReadBuffers.SMALL, 16 * 70 - ReadBuffers.SMALL);

    /** {@code count} masked 64-byte texts (70 bytes each on the wire), as the small-echo benchmark sends them. */
    private static byte[] texts(int count) {
        FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(1));
        ByteBuffer out = ByteBuffer.allocate(80 * count);
        for (int i = 0; i < count; i++) {
            writer.writeFrame(out, true, 0, Opcode.TEXT, ByteBuffer.wrap("x".repeat(64).getBytes(StandardCharsets.US_ASCII)));
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static final String REQUEST = StreamTestSupport.REQUEST;

    @Test
    @DisplayName("16 texts (1,120 bytes, past the 512-byte resident buffer): two reads, 16 messages, one write")
    void burstPastTheResidentBufferIsOneBatch() {
        List<String> log = new ArrayList<>();
        serve(true, false, log, texts(16), texts(16));
        List<String> expected = expected(batch(SPLIT, 16), batch(SPLIT, 16));
        // the end: the peer's FIN, then our close frame (there is nothing else to write) on the hand-off writer
        assertEquals(expected, log.subList(0, expected.size()),
                "each burst: the rest read into the same buffer, then every message handled, then one write, no hand-off");
    }

    @Test
    @DisplayName("a burst that fits the resident buffer is one read, and nothing waits to be read after it")
    void smallBurstIsOneRead() {
        List<String> log = new ArrayList<>();
        serve(true, false, log, texts(3));
        List<String> expected = expected(batch(List.of(210), 3));
        assertEquals(expected, log.subList(0, expected.size()));
    }

    @Test
    @DisplayName("after a burst, the next one already waiting is read whole into a full-size buffer: one read, one write")
    void waitingBurstAfterABurstIsOneRead() {
        List<String> log = new ArrayList<>();
        BurstWire wire = serve(true, true, log, texts(16), texts(16));
        List<String> expected = expected(batch(SPLIT, 16), batch(List.of(16 * 70), 16));
        assertEquals(expected, log.subList(0, expected.size()));
        assertEquals(0, wire.probes, "the reader looks for waiting bytes by reading them, never by asking how many wait");
    }

    @Test
    @DisplayName("after a burst with nothing waiting, the reader waits in the resident buffer, and asks no count of waiting bytes")
    void nothingWaitingAfterABurst() {
        List<String> log = new ArrayList<>();
        BurstWire wire = serve(true, false, log, texts(16), texts(3));
        List<String> expected = expected(batch(SPLIT, 16), batch(List.of(210), 3));
        assertEquals(expected, log.subList(0, expected.size()));
        assertEquals(0, wire.probes, "a socket's reader would pay a FIONREAD for each");
        assertEquals(ReadBuffers.SMALL, wire.lastReadCapacity, "the next burst was waited for in the resident buffer, not a full-size one");
    }

    @Test
    @DisplayName("a platform reader, whose answers a writer sends after it waits, does not look for the next burst: a read for nothing")
    void platformReaderDoesNotLookAfterABurst() {
        List<String> log = new ArrayList<>();
        serve(false, true, log, texts(16), texts(16));
        // and gives up no turn: the operating system preempts platform threads
        List<String> expected = expected(batch(SPLIT, 16), batch(SPLIT, 16)).stream().filter(e -> !e.equals("turn")).toList();
        assertEquals(expected, log.subList(0, expected.size()));
    }

    @Test
    @DisplayName("on a socket channel (its look sees every byte), a virtual reader looks after every read: each burst waiting is read at once, one write each, no turn given up")
    void virtualReaderOnAChannelLooksAfterEveryRead() {
        List<String> log = new ArrayList<>();
        BurstWire wire = serve(true, true, true, log, texts(16), texts(16));
        List<String> expected = new ArrayList<>(List.of("read " + REQUEST.length(), "write"));
        expected.addAll(batch(SPLIT, 16).stream().filter(e -> !e.equals("turn")).toList());
        // after a burst, the next one is read whole into a full-size buffer
        expected.addAll(batch(List.of(16 * 70), 16).stream().filter(e -> !e.equals("turn")).toList());
        assertEquals(expected, log.subList(0, expected.size()));
        assertEquals(0, wire.probes, "it looks by reading, never by asking how many bytes wait");
    }
}
