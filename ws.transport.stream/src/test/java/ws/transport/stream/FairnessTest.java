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
 * Fairness on a shared core: a connection on a virtual thread whose peer always has the next bytes
 * ready gives up its turn after {@link StreamConnection#READS_PER_TURN} reads in a row, so a connection
 * with bytes waiting behind N busy ones is served after a few reads of each, never after however long
 * the busy ones stay busy; otherwise a connection gives up its turn only once after each read that
 * waited (parked in the JDK's read poller), never after bytes that were there at once (yielding after
 * every read kept the carrier's queue full and starved the connections waiting in the poller).
 */
@DisplayName("Fairness: a virtual thread gives up its turn after a read that waited, or a few reads in a row")
class FairnessTest {
    /**
     * A socket-like wire: each chunk is either ready at once (a read that does not wait takes it) or
     * arrives only while the reader waits (a read that does not wait finds nothing); then the end.
     */
    private static class PacedWire extends StreamTestSupport.ScriptedWire {
        final ArrayDeque<byte[]> chunks;
        final ArrayDeque<Boolean> ready;
        final List<String> log;

        PacedWire(ArrayDeque<byte[]> chunks, ArrayDeque<Boolean> ready, List<String> log) {
            this.chunks = chunks;
            this.ready = ready;
            this.log = log;
        }

        @Override
        public int read(ByteBuffer buffer) {
            ready.poll();
            return take(buffer, "read");
        }

        @Override
        public int readNow(ByteBuffer buffer) {
            if (chunks.isEmpty() || !Boolean.TRUE.equals(ready.peek())) {
                return 0;
            }
            ready.poll();
            return take(buffer, "read now");
        }

        private int take(ByteBuffer buffer, String what) {
            byte[] next = chunks.poll();
            if (next == null) {
                return -1;
            }
            log.add(what);
            buffer.put(next);
            return next.length;
        }

        @Override
        public boolean readNowSeesAll() {
            return true;
        }
    }

    /**
     * A {@link PacedWire} that tells when the socket had no more at its last read ({@link Wire#drained()}:
     * each chunk fits the buffer, so after every read that gave bytes, and after a look that found none),
     * and logs the looks that find nothing.
     */
    private static final class DrainingWire extends PacedWire {
        private boolean drained;

        DrainingWire(ArrayDeque<byte[]> chunks, ArrayDeque<Boolean> ready, List<String> log) {
            super(chunks, ready, log);
        }

        @Override
        public int read(ByteBuffer buffer) {
            int n = super.read(buffer);
            drained = n > 0;
            return n;
        }

        @Override
        public int readNow(ByteBuffer buffer) {
            int n = super.readNow(buffer);
            if (n == 0) {
                log.add("look: nothing");
            }
            drained = n >= 0;
            return n;
        }

        @Override
        public boolean drained() {
            return drained;
        }
    }

    private static ConnectionHost host(List<String> log) {
        return StreamTestSupport.host(new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                log.add("message " + text);
            }
        }, Runnable::run);
    }

    private static byte[] textFrames(int from, int count) {
        FrameWriter writer = new FrameWriter(Side.CLIENT, new SplittableRandom(1));
        ByteBuffer out = ByteBuffer.allocate(64 * count);
        for (int i = from; i < from + count; i++) {
            writer.writeFrame(out, true, 0, Opcode.TEXT, ByteBuffer.wrap(Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    /**
     * Runs a server connection to its end on a virtual thread, over a wire with the upgrade request
     * (which the connection waits for), then a one-frame text message "i" per entry of {@code ready}:
     * ready at once, or arriving only while the reader waits.
     *
     * @return the log of its reads, messages and turns
     */
    private static List<String> serve(boolean... ready) throws InterruptedException {
        return serve(false, ready);
    }

    /** As {@link #serve(boolean...)}, over a {@link DrainingWire}. */
    private static List<String> serveDraining(boolean... ready) throws InterruptedException {
        return serve(true, ready);
    }

    /** As {@link #serve(boolean...)}; {@code draining}: over a {@link DrainingWire}, else a {@link PacedWire}. */
    private static List<String> serve(boolean draining, boolean[] ready) throws InterruptedException {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        ArrayDeque<Boolean> readiness = new ArrayDeque<>();
        chunks.add(StreamTestSupport.REQUEST.getBytes(StandardCharsets.US_ASCII));
        readiness.add(false);
        for (int i = 0; i < ready.length; i++) {
            chunks.add(textFrames(i, 1));
            readiness.add(ready[i]);
        }
        PacedWire wire = draining ? new DrainingWire(chunks, readiness, log) : new PacedWire(chunks, readiness, log);
        ConnectionDriver driver = ConnectionDriver.server(host(log));
        Thread thread = Thread.ofVirtual().start(
                new StreamConnection(driver, d -> wire, null, 4096, () -> log.add("turn"))::run);
        thread.join(java.time.Duration.ofSeconds(30));
        assertEquals(false, thread.isAlive(), "the connection ran to its end");
        return log;
    }

    @Test
    void aPeerThatAlwaysHasTheNextBytesReadyIsServedAFewReadsPerTurn() throws InterruptedException {
        List<String> log = serve(true, true, true, true, true, true);
        assertEquals(4, StreamConnection.READS_PER_TURN, "the expected log below is for 4 reads per turn");
        assertEquals(List.of("read",
                "read now", "message 0",
                "read now", "message 1",
                "read now", "message 2",
                "read now", "turn", "message 3",
                "read now", "message 4",
                "read now", "message 5"), log,
                "after four reads in a row (the first waited, three found their bytes ready) the turn ends before the next is handled");
    }

    @Test
    void aConnectionGivesUpItsTurnOncePerWaitNeverAfterBytesThatWereThereAtOnce() throws InterruptedException {
        // one message was there at once, the others came while it waited
        List<String> log = serve(false, false, true, false, false);
        assertEquals(List.of("read",
                "read", "message 0", "turn",
                "read", "message 1", "turn",
                "read now", "message 2",
                "read", "message 3", "turn",
                "read", "message 4", "turn"), log,
                "a read that had to wait ends its turn once handled (the others the poller woke go first); "
                        + "bytes there at once are handled without one, and so are the request's, the first read");
    }

    @Test
    void aConnectionThatEmptiedTheSocketAndKeptItsTurnWaitsWithoutLookingFirst() throws InterruptedException {
        // message 1 was there at once after message 0, which came while the reader waited
        List<String> log = serveDraining(false, true, false, false);
        assertEquals(List.of("read",
                "read", "message 0", "turn",
                "read now", "message 1",
                "read", "message 2", "turn",
                "look: nothing",
                "read", "message 3", "turn",
                "look: nothing"), log.subList(0, 14),
                "after the request and after message 1 (reads that emptied the socket, no turn given up since) the "
                        + "connection goes straight to its waiting read, which counts as one that waited; after a turn "
                        + "(the others ran, and its peer) it looks first, as always");
    }
}
