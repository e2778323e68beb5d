package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The outgoing queue: order, exact buffered amount, flush combining, failures, waiting for room. */
class OutboundTest {

    /** A wire that records writes and can be made to block or fail. */
    /** Hand-off writers on virtual threads named {@code <name>-flush}, as a transport's. */
    static java.util.concurrent.Executor writers(String name) {
        return task -> Thread.ofVirtual().name(name + "-flush").start(task);
    }

    static class FakeWire implements Sink {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final List<Integer> writeCalls = new ArrayList<>();
        final List<String> writers = new ArrayList<>();
        volatile CountDownLatch gate;
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile IOException failWith;

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
            entered.countDown();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failWith != null) {
                throw failWith;
            }
            synchronized (this) {
                writeCalls.add(length);
                writers.add(Thread.currentThread().getName());
                for (int i = offset; i < offset + length; i++) {
                    byte[] bytes = new byte[buffers[i].remaining()];
                    buffers[i].get(bytes);
                    written.writeBytes(bytes);
                }
            }
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
            return new InetSocketAddress(0);
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress(0);
        }

        @Override
        public String describe() {
            return "fake";
        }
    }

    private static List<ByteBuffer> bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return List.of(ByteBuffer.wrap(bytes));
    }

    @Test
    void writesInQueueOrderAndCompletesFutures() {
        FakeWire wire = new FakeWire();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        out.enqueue(bytes(1, 2), first);
        out.enqueue(List.of(ByteBuffer.wrap(new byte[] {3}), ByteBuffer.wrap(new byte[] {4, 5})), second);
        assertEquals(5, out.bufferedAmount());
        assertFalse(first.isDone());
        out.flush();
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, wire.written.toByteArray());
        assertEquals(0, out.bufferedAmount());
        assertTrue(first.isDone() && second.isDone());
        assertEquals(List.of(3), wire.writeCalls, "one gathering write for both sends");
    }

    @Test
    void pongsForAPeerThatReadsNothingStopQueueingAtTheirBoundWhilePingsStillQueue() throws Exception {
        // RFC 6455 section 5.5.3: pings may go unanswered while earlier pongs are not sent; a flood of
        // pings from a peer that reads nothing must not become an unbounded queue of pongs
        FakeWire wire = new FakeWire();
        wire.gate = new CountDownLatch(1); // the peer reads nothing: the write blocks
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        byte[] pong = new byte[127];
        pong[0] = (byte) 0x8A;
        pong[1] = 125;
        out.enqueueControl(ByteBuffer.wrap(pong.clone()), null);
        out.flushAsync();
        assertTrue(wire.entered.await(5, TimeUnit.SECONDS), "the writer is blocked in its write");
        for (int i = 0; i < 100_000; i++) { // 12.7 MB of pongs
            out.enqueueControl(ByteBuffer.wrap(pong.clone()), null);
        }
        long bound = Outbound.MAX_QUEUED_PONG_BYTES + pong.length;
        assertTrue(out.bufferedAmount() <= bound, out.bufferedAmount() + " bytes queued > " + bound);
        CompletableFuture<Void> ownPong = new CompletableFuture<>();
        out.enqueueControl(ByteBuffer.wrap(pong.clone()), ownPong); // the application's own pong is not dropped
        assertTrue(out.bufferedAmount() > bound, "the application's pong is queued past the bound");
        CompletableFuture<Void> ping = new CompletableFuture<>();
        out.enqueueControl(ByteBuffer.wrap(new byte[] {(byte) 0x89, 0}), ping); // our own ping is not dropped
        long queued = out.bufferedAmount();
        wire.gate.countDown();
        ping.get(5, TimeUnit.SECONDS);
        assertTrue(ownPong.isDone() && !ownPong.isCompletedExceptionally(), "the application's pong was written");
        assertEquals(queued, wire.written.size(), "everything queued was written, the ping last");
        assertEquals((byte) 0x89, wire.written.toByteArray()[wire.written.size() - 2]);
        out.enqueueControl(ByteBuffer.wrap(pong.clone()), null);
        out.flush();
        assertEquals(queued + pong.length, wire.written.size(), "once written, pongs queue again");
    }

    @Test
    void emptyOutputCompletesAtOnce() {
        Outbound out = new Outbound(new FakeWire(), OutboundTest.writers("t"), e -> { });
        CompletableFuture<Void> future = new CompletableFuture<>();
        out.enqueue(List.of(), future);
        assertTrue(future.isDone());
        assertEquals(0, out.bufferedAmount());
    }

    @Test
    void aSecondFlusherLeavesItsBytesToTheWriterAlreadyWriting() throws Exception {
        FakeWire wire = new FakeWire();
        wire.gate = new CountDownLatch(1);
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        CompletableFuture<Void> first = new CompletableFuture<>();
        out.enqueue(bytes(1), first);
        Thread writer = Thread.ofPlatform().name("writer").start(out::flush);
        assertTrue(wire.entered.await(5, TimeUnit.SECONDS));
        CompletableFuture<Void> second = new CompletableFuture<>();
        out.enqueue(bytes(2), second);
        Thread.currentThread().setName("sender");
        out.flush(); // returns at once: the writer holds the write lock
        assertFalse(second.isDone());
        assertEquals(2, out.bufferedAmount());
        wire.gate.countDown();
        writer.join(5000);
        second.get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2}, wire.written.toByteArray());
        assertEquals(List.of("writer", "writer"), wire.writers);
        assertEquals(0, out.bufferedAmount());
    }

    @Test
    void flushAsyncWritesOnAnotherThread() throws Exception {
        FakeWire wire = new FakeWire();
        Outbound out = new Outbound(wire, OutboundTest.writers("conn"), e -> { });
        CompletableFuture<Void> future = new CompletableFuture<>();
        out.enqueue(bytes(7, 8), future);
        out.flushAsync();
        future.get(5, TimeUnit.SECONDS);
        assertEquals("conn-flush", wire.writers.get(0));
    }

    @Test
    void aWriteFailureFailsEverySendAndReportsOnce() throws Exception {
        FakeWire wire = new FakeWire();
        wire.failWith = new IOException("broken pipe");
        AtomicReference<IOException> reported = new AtomicReference<>();
        List<IOException> reports = new ArrayList<>();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> {
            reported.set(e);
            reports.add(e);
        });
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        out.enqueue(bytes(1), first);
        out.enqueue(bytes(2), second);
        out.flush();
        ExecutionException error = assertThrows(ExecutionException.class, () -> first.get(1, TimeUnit.SECONDS));
        assertSame(wire.failWith, error.getCause());
        assertTrue(second.isCompletedExceptionally());
        assertEquals(0, out.bufferedAmount());
        CompletableFuture<Void> later = new CompletableFuture<>();
        out.enqueue(bytes(3), later);
        assertTrue(later.isCompletedExceptionally());
        assertEquals(1, reports.size());
        assertSame(wire.failWith, reported.get());
    }

    @Test
    void awaitRoomWaitsForTheWriter() throws Exception {
        FakeWire wire = new FakeWire();
        wire.gate = new CountDownLatch(1);
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        out.enqueue(List.of(ByteBuffer.allocate(100)), null);
        out.flushAsync();
        assertTrue(wire.entered.await(5, TimeUnit.SECONDS));
        assertFalse(out.awaitRoom(50, 120, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)), "100 + 50 > 120");
        assertTrue(out.awaitRoom(20, 120, System.nanoTime()), "100 + 20 fits");
        wire.gate.countDown();
        assertTrue(out.awaitRoom(50, 120, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
        assertTrue(out.awaitRoom(1, 1, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)), "empty");
    }

    @Test
    void aMessageLargerThanTheMarkFitsAnEmptyQueue() throws Exception {
        Outbound out = new Outbound(new FakeWire(), OutboundTest.writers("t"), e -> { });
        assertTrue(out.awaitRoom(1000, 10, System.nanoTime()));
    }

    @Test
    void aBurstOfManySmallSendsGoesOutInGatheringWritesOfUpToGatherBuffers() {
        // the gathering array starts small (an idle connection keeps little) and grows for bursts
        FakeWire wire = new FakeWire();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        int sends = Outbound.GATHER + 10;
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < sends; i++) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            futures.add(future);
            out.enqueue(bytes(i), future);
        }
        out.flush();
        byte[] expected = new byte[sends];
        for (int i = 0; i < sends; i++) {
            expected[i] = (byte) i;
        }
        assertArrayEquals(expected, wire.written.toByteArray());
        assertEquals(List.of(Outbound.GATHER, 10), wire.writeCalls, "two gathering writes (buffers per write), in order");
        assertTrue(futures.stream().allMatch(CompletableFuture::isDone));
        out.enqueue(bytes(1, 2, 3), new CompletableFuture<>());
        out.flush();
        assertEquals(List.of(Outbound.GATHER, 10, 1), wire.writeCalls, "buffers per write");
    }

    @Test
    void moreBuffersThanOneWriteTakesAreWrittenInSlices() {
        FakeWire wire = new FakeWire();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        List<ByteBuffer> many = new ArrayList<>();
        for (int i = 0; i < Outbound.GATHER * 2 + 3; i++) {
            many.add(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        out.enqueue(many, future);
        out.flush();
        assertTrue(future.isDone());
        assertEquals(Outbound.GATHER * 2 + 3, wire.written.size());
        assertEquals(List.of(Outbound.GATHER, Outbound.GATHER, 3), wire.writeCalls);
    }

    @Test
    void discardFailsWhatIsLeftWithoutReporting() {
        List<IOException> reports = new ArrayList<>();
        Outbound out = new Outbound(new FakeWire(), OutboundTest.writers("t"), reports::add);
        CompletableFuture<Void> future = new CompletableFuture<>();
        out.enqueue(bytes(1), future);
        out.discard(new IOException("closed"));
        assertTrue(future.isCompletedExceptionally());
        assertEquals(0, out.bufferedAmount());
        assertTrue(reports.isEmpty());
    }
}
