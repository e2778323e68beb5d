package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The channel wire's non-blocking half, which lets the reading thread answer a read with one write of
 * its own instead of waking a writer thread: on virtual threads, and on platform threads once the
 * descriptor is non-blocking underneath (after the first hand-off write).
 */
@DisplayName("ChannelWire: the reader's own writes and its look at waiting input, on any thread")
class ChannelWireTest {
    private ServerSocketChannel listener;
    private SocketChannel near;
    private SocketChannel far;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        near = SocketChannel.open(listener.getLocalAddress());
        far = listener.accept();
        near.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        far.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
    }

    @AfterEach
    void close() throws IOException {
        near.close();
        far.close();
        listener.close();
    }

    private static ByteBuffer[] batch(int frames, int size) {
        ByteBuffer[] buffers = new ByteBuffer[frames];
        for (int i = 0; i < frames; i++) {
            buffers[i] = ByteBuffer.wrap(new byte[size]);
        }
        return buffers;
    }

    private long tryWriteOn(Thread.Builder threads, ChannelWire wire, ByteBuffer[] buffers)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Long> written = new CompletableFuture<>();
        threads.start(() -> {
            try {
                written.complete(wire.tryWrite(buffers, 0, buffers.length));
            } catch (Throwable e) {
                written.completeExceptionally(e);
            }
        });
        return written.get(10, TimeUnit.SECONDS);
    }

    private void drain(int bytes) throws IOException {
        ByteBuffer received = ByteBuffer.allocate(bytes);
        while (received.hasRemaining()) {
            far.read(received);
        }
    }

    @Test
    @DisplayName("a virtual thread writes a whole batch in one gathering write; a platform thread leaves it to the writer (0) until one has")
    void platformThreadWritesInlineOnceTheDescriptorIsNonBlocking() throws Exception {
        ChannelWire wire = new ChannelWire(near);
        ByteBuffer[] first = batch(16, 66);
        assertEquals(0, tryWriteOn(Thread.ofPlatform(), wire, first),
                "before a virtual thread used the socket, the switch would cost fcntl calls: nothing written, "
                        + "and 0, not -1, so the driver hands this batch off and tries inline again next time");
        assertEquals(66, first[0].remaining(), "nothing taken");
        assertTrue(near.isBlocking(), "the platform reader's blocking reads go on as before");
        ByteBuffer[] buffers = batch(16, 66);
        assertEquals(16 * 66, tryWriteOn(Thread.ofVirtual(), wire, buffers), "the hand-off writer's thread is virtual");
        drain(16 * 66);
        ByteBuffer[] answers = batch(16, 66);
        assertEquals(16 * 66, tryWriteOn(Thread.ofPlatform(), wire, answers),
                "now the platform reader writes its answers itself, in one gathering write");
        assertTrue(near.isBlocking(), "and its reads wait again");
        drain(16 * 66);
    }

    @Test
    @DisplayName("a platform thread's write to a full socket takes part or nothing and returns at once")
    void platformThreadNeverBlocksOnAFullSocket() throws Exception {
        ChannelWire wire = new ChannelWire(near);
        tryWriteOn(Thread.ofVirtual(), wire, batch(1, 1));
        drain(1);
        long taken = -1;
        for (int round = 0; round < 10_000 && taken != 0; round++) { // the peer never reads: the socket fills
            taken = tryWriteOn(Thread.ofPlatform(), wire, batch(16, 4096));
        }
        assertEquals(0, taken, "a full socket takes nothing, and the reader's write returns instead of waiting");
        assertTrue(near.isBlocking());
    }

    private int readNowOn(Thread.Builder threads, ChannelWire wire, ByteBuffer buffer)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Integer> read = new CompletableFuture<>();
        threads.start(() -> {
            try {
                read.complete(wire.readNow(buffer));
            } catch (Throwable e) {
                read.completeExceptionally(e);
            }
        });
        return read.get(10, TimeUnit.SECONDS);
    }

    /** A wire that counts its FIONREAD probes. */
    private static final class CountingWire extends ChannelWire {
        int probes;

        CountingWire(SocketChannel channel) throws IOException {
            super(channel);
        }

        @Override
        public int available() {
            probes++;
            return super.available();
        }
    }

    private void awaitBytes(int bytes) throws Exception {
        ChannelWire probe = new ChannelWire(near);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (probe.available() < bytes && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    @DisplayName("readNow: once the descriptor is non-blocking, one read that never waits and no FIONREAD probe, on any thread")
    void readNowIsOneReadThatNeverWaits() throws Exception {
        CountingWire wire = new CountingWire(near);
        for (Thread.Builder threads : new Thread.Builder[] {Thread.ofVirtual(), Thread.ofPlatform()}) {
            assertEquals(0, readNowOn(threads, wire, ByteBuffer.allocate(512)), "nothing there: 0 at once");
            far.write(ByteBuffer.wrap(new byte[700]));
            awaitBytes(700);
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            assertEquals(700, readNowOn(threads, wire, buffer), "what is there, in one read");
            assertEquals(700, buffer.position());
            assertTrue(near.isBlocking(), "the channel is blocking again for the reader's waits");
        }
        assertEquals(2, wire.probes, "only the readNows before a virtual thread read the socket (the first two) ask FIONREAD");
        far.shutdownOutput();
        int end = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (end == 0 && System.nanoTime() < deadline) {
            end = readNowOn(Thread.ofPlatform(), wire, ByteBuffer.allocate(16));
        }
        assertEquals(-1, end, "the end of input");
    }

    @Test
    @DisplayName("drained(): the last read or look left room in its buffer (the socket had no more then), or found nothing")
    void drainedWhenTheLastReadLeftRoom() throws Exception {
        ChannelWire wire = new ChannelWire(near);
        assertFalse(wire.drained(), "nothing read yet: it cannot tell");
        far.write(ByteBuffer.wrap(new byte[700]));
        awaitBytes(700);
        assertEquals(512, readOn(Thread.ofVirtual(), wire, ByteBuffer.allocate(512)));
        assertFalse(wire.drained(), "a read that filled its buffer: more may be waiting (188 bytes are)");
        assertEquals(188, readNowOn(Thread.ofVirtual(), wire, ByteBuffer.allocate(512)));
        assertTrue(wire.drained(), "a look that left room: the socket had no more");
        far.write(ByteBuffer.wrap(new byte[512]));
        awaitBytes(512);
        assertEquals(512, readNowOn(Thread.ofVirtual(), wire, ByteBuffer.allocate(512)));
        assertFalse(wire.drained(), "a look that filled its buffer");
        assertEquals(0, readNowOn(Thread.ofVirtual(), wire, ByteBuffer.allocate(512)));
        assertTrue(wire.drained(), "a look that found nothing");
        far.write(ByteBuffer.wrap(new byte[10]));
        assertEquals(10, readOn(Thread.ofPlatform(), wire, ByteBuffer.allocate(512)));
        assertTrue(wire.drained(), "a read that waited and left room, on any thread");
        far.shutdownOutput();
        assertEquals(-1, readOn(Thread.ofVirtual(), wire, ByteBuffer.allocate(512)));
        assertFalse(wire.drained(), "the end of input is news, not a drained socket");
    }

    private int readOn(Thread.Builder threads, ChannelWire wire, ByteBuffer buffer)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Integer> read = new CompletableFuture<>();
        threads.start(() -> {
            try {
                read.complete(wire.read(buffer));
            } catch (Throwable e) {
                read.completeExceptionally(e);
            }
        });
        return read.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("a full socket takes part or nothing, and the write returns at once instead of waiting for the peer")
    void fullSocketNeverBlocks() throws Exception {
        ChannelWire wire = new ChannelWire(near);
        long total = 0;
        long offered = 0;
        for (int round = 0; round < 1000; round++) { // the peer never reads: the socket fills
            ByteBuffer[] buffers = batch(16, 4096);
            offered += 16 * 4096;
            long n = tryWriteOn(Thread.ofVirtual(), wire, buffers);
            total += n;
            if (n < 16 * 4096) {
                break;
            }
        }
        assertTrue(total < offered, "the socket stopped taking bytes (" + total + " of " + offered + ")");
        long taken = -1;
        for (int round = 0; round < 1000 && taken != 0; round++) { // the last room goes to the peer's side
            taken = tryWriteOn(Thread.ofVirtual(), wire, batch(1, 4096));
        }
        assertEquals(0, taken, "a full socket takes nothing, and the write returns");
    }

    @Test
    @DisplayName("available() (the fallback of readNow) counts the bytes a read returns at once, 0 when none, 0 once closed")
    void available() throws Exception {
        ChannelWire wire = new ChannelWire(near);
        assertEquals(0, wire.available());
        far.write(ByteBuffer.wrap(new byte[700]));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wire.available() < 700 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(700, wire.available());
        ByteBuffer some = ByteBuffer.allocate(512);
        assertEquals(512, wire.read(some));
        assertEquals(188, wire.available(), "what the read left is still waiting");
        wire.close();
        assertEquals(0, wire.available());
        assertFalse(wire.isOpen());
    }

    @Test
    @DisplayName("an accepted plain connection gets TCP_NODELAY at its second write, not before: an idle one (its 101 only) makes no setsockopt")
    void noDelayAtTheSecondWrite() throws Exception {
        ChannelWire wire = new ChannelWire(near, true);
        assertFalse(near.getOption(StandardSocketOptions.TCP_NODELAY), "not set at accept");
        wire.write(batch(1, 100), 0, 1);
        drain(100);
        assertFalse(near.getOption(StandardSocketOptions.TCP_NODELAY), "nothing unacknowledged before the first write: Nagle delays nothing");
        wire.write(batch(1, 100), 0, 1);
        drain(100);
        assertTrue(near.getOption(StandardSocketOptions.TCP_NODELAY), "set before the second write");
    }

    @Test
    @DisplayName("the reader's inline writes count too; a platform thread's write left to the writer (0) does not")
    void noDelayCountsInlineWrites() throws Exception {
        ChannelWire wire = new ChannelWire(near, true);
        assertEquals(0, tryWriteOn(Thread.ofPlatform(), wire, batch(1, 100)), "left to the writer");
        assertEquals(100, tryWriteOn(Thread.ofVirtual(), wire, batch(1, 100)));
        drain(100);
        assertFalse(near.getOption(StandardSocketOptions.TCP_NODELAY));
        assertEquals(100, tryWriteOn(Thread.ofVirtual(), wire, batch(1, 100)));
        drain(100);
        assertTrue(near.getOption(StandardSocketOptions.TCP_NODELAY));
    }

    @Test
    @DisplayName("a wire made without deferral leaves the option as the caller set it")
    void noDeferral() throws Exception {
        near.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ChannelWire wire = new ChannelWire(near);
        wire.write(batch(1, 10), 0, 1);
        drain(10);
        assertTrue(near.getOption(StandardSocketOptions.TCP_NODELAY));
    }
}
