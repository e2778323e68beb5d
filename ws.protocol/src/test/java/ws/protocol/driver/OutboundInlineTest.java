package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The reader's inline flush: writes what the socket takes at once, never waits, hands the rest off. */
@DisplayName("Outbound.flushInline: the reader never blocks on the network")
class OutboundInlineTest {

    /** A wire whose non-blocking write takes at most {@link #room} bytes, and whose blocking write can be held. */
    static class PartialWire extends OutboundTest.FakeWire {
        volatile long room = Long.MAX_VALUE;
        volatile boolean nonBlocking = true;
        final List<String> inlineThreads = new ArrayList<>();

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
            if (!nonBlocking) {
                return -1;
            }
            long taken = 0;
            synchronized (this) {
                inlineThreads.add(Thread.currentThread().getName());
                for (int i = offset; i < offset + length && taken < room; i++) {
                    ByteBuffer buffer = buffers[i];
                    int n = (int) Math.min(buffer.remaining(), room - taken);
                    byte[] bytes = new byte[n];
                    buffer.get(bytes);
                    written.writeBytes(bytes);
                    taken += n;
                }
                room -= taken;
            }
            return taken;
        }
    }

    private static List<ByteBuffer> bytes(int from, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (from + i);
        }
        return List.of(ByteBuffer.wrap(bytes, 0, count / 2), ByteBuffer.wrap(bytes, count / 2, count - count / 2));
    }

    private static byte[] counting(int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    @DisplayName("everything fits: written on the calling thread in one write, futures done, nothing handed off")
    void allInline() {
        PartialWire wire = new PartialWire();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        out.enqueue(bytes(0, 10), a);
        out.enqueue(bytes(10, 6), b);
        out.flushInline();
        assertArrayEquals(counting(16), wire.written.toByteArray());
        assertTrue(a.isDone() && b.isDone());
        assertEquals(0, out.bufferedAmount());
        assertTrue(out.isEmpty());
        assertEquals(List.of(Thread.currentThread().getName()), wire.inlineThreads);
        assertTrue(wire.writers.isEmpty(), "no blocking write");
    }

    @Test
    @DisplayName("a partial write: the written sends are done, the rest is carried, in order, to the hand-off writer")
    void partialThenHandOff() throws Exception {
        PartialWire wire = new PartialWire();
        wire.room = 13; // the first send (10) whole, 3 bytes of the second
        wire.gate = new CountDownLatch(1); // holds the hand-off writer's blocking write
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        CompletableFuture<Void> c = new CompletableFuture<>();
        out.enqueue(bytes(0, 10), a);
        out.enqueue(bytes(10, 6), b);
        out.enqueue(bytes(16, 4), c);
        out.flushInline(); // returns although the writer is held: it never waits
        assertTrue(a.isDone(), "written whole");
        assertFalse(b.isDone() || c.isDone());
        // exact: what the socket did not take (the hand-off writer, held in its write, has not written it)
        assertEquals(20 - 13, out.bufferedAmount());
        assertTrue(wire.entered.await(5, TimeUnit.SECONDS), "the rest went to the hand-off writer");
        wire.gate.countDown();
        CompletableFuture.allOf(b, c).get(5, TimeUnit.SECONDS);
        assertArrayEquals(counting(20), wire.written.toByteArray(), "the same bytes, in order");
        assertEquals(0, out.bufferedAmount());
        assertTrue(out.isEmpty());
    }

    @Test
    @DisplayName("the socket takes nothing, or the wire has no non-blocking write: all of it is handed off")
    void nothingTaken() throws Exception {
        for (boolean supported : new boolean[] {true, false}) {
            PartialWire wire = new PartialWire();
            wire.room = 0;
            wire.nonBlocking = supported;
            Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
            CompletableFuture<Void> a = new CompletableFuture<>();
            out.enqueue(bytes(0, 8), a);
            out.flushInline();
            a.get(5, TimeUnit.SECONDS);
            assertArrayEquals(counting(8), wire.written.toByteArray());
            assertEquals(List.of("t-flush"), wire.writers, "written by the hand-off writer");
        }
    }

    @Test
    @DisplayName("a pong the socket did not take stays ahead of the pongs queued after it (RFC 6455 5.5.3: in order)")
    void aCarriedControlFrameKeepsItsPlaceAmongControlFrames() {
        for (boolean supported : new boolean[] {true, false}) {
            PartialWire wire = new PartialWire();
            wire.room = 0; // the inline write takes nothing (or the wire has no non-blocking write)
            wire.nonBlocking = supported;
            List<Runnable> handOffs = new ArrayList<>();
            Outbound out = new Outbound(wire, handOffs::add, e -> { });
            out.enqueueControl(ByteBuffer.wrap(new byte[] {0}), null);
            out.flushInline(); // carried, unwritten; the hand-off writer is not run yet
            out.enqueueControl(ByteBuffer.wrap(new byte[] {1}), null);
            out.enqueueControl(ByteBuffer.wrap(new byte[] {2}), null);
            assertEquals(1, handOffs.size());
            handOffs.getFirst().run();
            assertArrayEquals(new byte[] {0, 1, 2}, wire.written.toByteArray(), "supported " + supported);
        }
    }

    @Test
    @DisplayName("another writer holds the write lock, blocked on the network: the inline flush returns at once")
    void writerBusy() throws Exception {
        PartialWire wire = new PartialWire();
        wire.nonBlocking = false;
        wire.gate = new CountDownLatch(1);
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), e -> { });
        out.enqueue(bytes(0, 4), null);
        out.flushAsync();
        assertTrue(wire.entered.await(5, TimeUnit.SECONDS));
        wire.nonBlocking = true;
        CompletableFuture<Void> b = new CompletableFuture<>();
        out.enqueue(bytes(4, 4), b);
        Thread reader = Thread.ofPlatform().start(out::flushInline);
        reader.join(5_000);
        assertFalse(reader.isAlive(), "the inline flush waited for the blocked writer");
        assertFalse(b.isDone());
        wire.gate.countDown();
        b.get(5, TimeUnit.SECONDS);
        assertArrayEquals(counting(8), wire.written.toByteArray());
    }

    @Test
    @DisplayName("a write failure during the inline flush fails the sends and reports once")
    void failure() {
        PartialWire wire = new PartialWire() {
            @Override
            public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
                return failWith == null ? super.tryWrite(buffers, offset, length) : throwIt();
            }

            private long throwIt() {
                throw new java.io.UncheckedIOException(failWith);
            }
        };
        wire.failWith = new IOException("reset");
        List<IOException> reported = new ArrayList<>();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), reported::add);
        CompletableFuture<Void> a = new CompletableFuture<>();
        out.enqueue(bytes(0, 4), a);
        out.flushInline();
        assertTrue(a.isCompletedExceptionally());
        assertEquals(1, reported.size());
        assertEquals(0, out.bufferedAmount());
    }

    @Test
    @DisplayName("a blocking write that fails after writing part: bufferedAmount is 0 and every send failed")
    void failsMidWrite() {
        OutboundTest.FakeWire wire = new OutboundTest.FakeWire() {
            @Override
            public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
                buffers[offset].get(new byte[buffers[offset].remaining()]); // the first buffer went out
                throw new IOException("reset after part");
            }
        };
        List<IOException> reported = new ArrayList<>();
        Outbound out = new Outbound(wire, OutboundTest.writers("t"), reported::add);
        CompletableFuture<Void> a = new CompletableFuture<>();
        CompletableFuture<Void> b = new CompletableFuture<>();
        out.enqueue(bytes(0, 10), a);
        out.enqueue(bytes(10, 6), b);
        out.flush();
        assertTrue(a.isCompletedExceptionally() && b.isCompletedExceptionally());
        assertEquals(0, out.bufferedAmount());
        assertEquals(1, reported.size());
    }
}
