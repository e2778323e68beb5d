package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sends racing the hand-off writer: the writer may take an item the moment it is in a lane, so every
 * send's future must already be on its item by then, or the bytes go out and the future never completes.
 */
@DisplayName("Outbound: every send future completes while the writer races the senders")
class OutboundRaceTest {
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 25_000;
    private static final int SIZE = 8;

    @Test
    @DisplayName("many threads queue small items as the driver does (under the engine lock, then flushAsync): all complete")
    void everyFutureCompletesUnderContention() throws Exception {
        OutboundTest.FakeWire wire = new OutboundTest.FakeWire();
        Outbound out = new Outbound(wire, OutboundTest.writers("race"), e -> { });
        ReentrantLock engineLock = new ReentrantLock();
        List<CompletableFuture<Void>> futures = new ArrayList<>(SENDERS * PER_SENDER);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
            senders.add(Thread.ofPlatform().start(() -> {
                List<CompletableFuture<Void>> mine = new ArrayList<>(PER_SENDER);
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < PER_SENDER; i++) {
                    CompletableFuture<Void> future = new CompletableFuture<>();
                    engineLock.lock();
                    try {
                        out.enqueue(List.of(ByteBuffer.allocate(SIZE)), future);
                    } finally {
                        engineLock.unlock();
                    }
                    out.flushAsync();
                    mine.add(future);
                }
                synchronized (futures) {
                    futures.addAll(mine);
                }
            }));
        }
        go.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            long pending = futures.stream().filter(f -> !f.isDone()).count();
            throw new AssertionError(pending + " of " + futures.size() + " send futures never completed, with "
                    + out.bufferedAmount() + " bytes buffered and " + wire.written.size() + " of "
                    + (long) SENDERS * PER_SENDER * SIZE + " written", e);
        }
        assertEquals((long) SENDERS * PER_SENDER * SIZE, wire.written.size());
        assertEquals(0, out.bufferedAmount());
    }
}
