package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/**
 * {@link ConnectionDriver#finishWithoutWaiting()}, an event loop's end of a connection: it must never
 * block the loop. The narrow case: an aborting connection (nothing left to write and end) whose
 * hand-off writer takes the outgoing queue in the instant between the loop's decision to finish and
 * the queue's discard. The seam is the sink's {@code close()}, which the end calls right before the
 * discard: there the test starts the writer and returns only once it holds the queue, in a write that
 * goes on until the test lets it. The loop must then leave the rest of the end to the finishing thread
 * rather than wait for the writer ({@code onClose} after the writer settled, as for {@link ConnectionDriver#finish}).
 */
@DisplayName("ConnectionDriver.finishWithoutWaiting: a writer taking the queue at the last instant hands the end off")
class FinishWithoutWaitingTest {

    @Test
    @DisplayName("the loop returns false, without onClose, while the writer is still in its write; finish() ends it after")
    void writerTakingTheQueueBeforeTheDiscard() throws Exception {
        HeldWriters writers = new HeldWriters();
        AtomicInteger closes = new AtomicInteger();
        AtomicReference<Thread> closedOn = new AtomicReference<>();
        WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onClose(WebSocket webSocket, CloseStatus status) {
                closes.incrementAndGet();
                closedOn.set(Thread.currentThread());
            }
        };
        TestHost host = new TestHost() {
            @Override
            public Executor writers() {
                return writers;
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
                return new UpgradeDecision.Accept(listener, "", HttpHeaders.empty(), Map.of());
            }
        };
        WriterSink sink = new WriterSink();
        ConnectionDriver driver = ConnectionDriver.server(host);
        driver.start(sink, null);
        driver.receive(ByteBuffer.wrap(TestHost.REQUEST)); // the 101 goes out inline
        assertTrue(driver.isOpen());

        sink.full = true; // from now on the network takes nothing without waiting
        CompletableFuture<Void> sent = driver.sendBinary(ByteBuffer.allocate(1000)); // queued, its writer held
        driver.abort(); // an aborting connection: its end writes nothing, it only discards
        driver.readFailed(new IOException("socket closed")); // the loop's read fails on the closed socket

        Thread loop = Thread.currentThread();
        sink.atClose = () -> {
            // the instant between the end's decision and the discard: a writer takes the queue
            Thread.ofPlatform().name("hand-off-writer").start(writers::runHeld);
            await(sink.inWrite, "the writer took the queue and is writing");
        };
        boolean finishedOnLoop = driver.finishWithoutWaiting();

        assertFalse(finishedOnLoop, "the loop waited for the writer rather than hand the end off");
        assertEquals(0, closes.get(), "onClose comes after the writer settled its batch, not on the loop");
        assertFalse(driver.closeFuture().isDone());

        sink.letGo.countDown(); // the write fails on the closed socket and the writer settles
        Thread finisher = Thread.ofPlatform().name("finisher").start(driver::finish);
        CloseStatus status = driver.closeFuture().get(30, TimeUnit.SECONDS);
        finisher.join(TimeUnit.SECONDS.toMillis(30));

        assertEquals(CloseCodes.ABNORMAL_CLOSURE, status.code());
        assertEquals(1, closes.get(), "onClose once");
        assertEquals(finisher, closedOn.get(), "onClose on the finishing thread");
        assertNotSame(loop, closedOn.get());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> sent.get(30, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IOException, failed.toString());
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("not within 30 s: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The hand-off writers' executor: holds their tasks until the test runs them. */
    private static final class HeldWriters implements Executor {
        private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable task) {
            held.add(task);
        }

        void runHeld() {
            Runnable task;
            while ((task = held.poll()) != null) {
                task.run();
            }
        }
    }

    /**
     * A socket that takes everything inline until {@link #full}, then nothing inline; a blocking write
     * waits until the test lets it go and then fails (the socket was closed meanwhile). Its
     * {@code close()} runs {@link #atClose} once.
     */
    private static final class WriterSink extends TestHost.NullSink {
        final CountDownLatch inWrite = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        volatile boolean full;
        volatile Runnable atClose;

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
            inWrite.countDown();
            FinishWithoutWaitingTest.await(letGo, "the test lets the write go");
            throw new IOException("socket closed");
        }

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
            return full ? 0 : super.tryWrite(buffers, offset, length);
        }

        @Override
        public void close() {
            super.close();
            Runnable hook = atClose;
            if (hook != null) {
                atClose = null;
                hook.run();
            }
        }
    }
}
