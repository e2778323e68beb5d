package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Connection threads: platform threads reused, virtual threads new for each connection")
class ConnectionThreadsTest {
    private static StreamSettings platform(boolean reuse) {
        return new StreamSettings("test", Thread.ofPlatform().daemon(true).factory(), 4096).withThreadReuse(reuse);
    }

    private static Thread runOn(ConnectionThreads threads, String name) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        CompletableFuture<String> named = new CompletableFuture<>();
        threads.start(name, () -> {
            named.complete(Thread.currentThread().getName());
            ran.complete(Thread.currentThread());
        });
        assertEquals(name, named.get(10, TimeUnit.SECONDS), "the thread carries the connection's name while it runs it");
        return ran.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPlatformThreadWhoseConnectionEndedRunsTheNextOne() throws Exception {
        ConnectionThreads threads = new ConnectionThreads(platform(true));
        Thread first = runOn(threads, "ws-1");
        // the first connection's run has returned: wait until its thread waits for the next one (the
        // name comes back first, then the thread parks in the hand-over queue)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(first.getName().equals("ws-connection-waiting") && first.getState() == Thread.State.TIMED_WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread second = runOn(threads, "ws-2");
        assertSame(first, second, "no new platform thread for the second connection");
        threads.close(Duration.ofSeconds(10));
        first.join(10_000);
        assertFalse(first.isAlive(), "closing ends the waiting threads");
        assertThrows(RuntimeException.class, () -> threads.start("ws-3", () -> { }), "no connection runs after close");
    }

    @Test
    void aConnectionThatLeavesItsThreadInterruptedDoesNotPassItOn() throws Exception {
        ConnectionThreads threads = new ConnectionThreads(platform(true));
        CompletableFuture<Thread> first = new CompletableFuture<>();
        threads.start("ws-1", () -> {
            first.complete(Thread.currentThread());
            Thread.currentThread().interrupt();
        });
        Thread thread = first.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.TIMED_WAITING, thread.getState(), "the thread waits parked, it does not spin");
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Thread> second = new CompletableFuture<>();
        threads.start("ws-2", () -> {
            interrupted.complete(Thread.currentThread().isInterrupted());
            second.complete(Thread.currentThread());
        });
        assertFalse(interrupted.get(10, TimeUnit.SECONDS), "the next connection starts uninterrupted");
        assertSame(thread, second.get(10, TimeUnit.SECONDS), "on the thread the first one left");
        threads.close(Duration.ofSeconds(10));
        thread.join(10_000); // the pool counts as terminated as its last worker leaves, a moment before the thread ends
        assertFalse(thread.isAlive());
    }

    /** Starts {@code n} connections that run at once (so {@code n} threads), then lets them all end together. */
    private static void freeTogether(ConnectionThreads threads, int n) throws Exception {
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(n);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            threads.start("ws-" + i, () -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(running.await(10, TimeUnit.SECONDS), "every connection runs on its own thread");
        assertEquals(n, threads.pooled());
        release.countDown();
    }

    private static void awaitPooled(ConnectionThreads threads, int atMost) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.pooled() > atMost && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void threadsFreedTogetherEndOneAtATimeAfterTheirKeepAlive() throws Exception {
        // a keep-alive of 250 ms (long enough for the ten to be waiting before the first one's is out,
        // on a busy machine too), and an hour more for each thread already waiting: of 10 threads
        // freed together, the first to wait ends once its keep-alive is out, the nine others wait for
        // their turn (all 10 ended at once before)
        ConnectionThreads threads = new ConnectionThreads(platform(true), Duration.ofMillis(250), Duration.ofHours(1), 100);
        freeTogether(threads, 10);
        awaitPooled(threads, 9);
        Thread.sleep(2_500); // ten keep-alives: every thread's is out
        assertEquals(9, threads.pooled(), "one end per spacing: the others still wait for theirs");

        // a thread waiting for its turn to end still takes the next connection: no new thread
        nextRunsOnAWaitingThreadAndCloseEndsThem(threads, 9);
    }

    @Test
    void threadsFreedTogetherAllEndInTheirTurn() throws Exception {
        ConnectionThreads threads = new ConnectionThreads(platform(true), Duration.ofMillis(20), Duration.ofMillis(1), 100);
        freeTogether(threads, 10);
        awaitPooled(threads, 0);
        assertEquals(0, threads.pooled(), "every thread ends, one after another");
        threads.close(Duration.ofSeconds(10));
    }

    @Test
    void threadsFreedBeyondTheMostThatMayWaitEndAtOnce() throws Exception {
        // keep-alive and spacing of an hour: only the cap can end a thread within the test
        ConnectionThreads threads = new ConnectionThreads(platform(true), Duration.ofHours(1), Duration.ofHours(1), 3);
        freeTogether(threads, 10);
        awaitPooled(threads, 3);
        assertEquals(3, threads.pooled(), "seven of the ten end as their connections end; three wait for the next");
        nextRunsOnAWaitingThreadAndCloseEndsThem(threads, 3);
    }

    /** The next connection runs on one of the {@code waiting} threads (no new one); closing then ends them all. */
    private static void nextRunsOnAWaitingThreadAndCloseEndsThem(ConnectionThreads threads, int waiting) throws Exception {
        Thread next = runOn(threads, "ws-next");
        assertEquals("ws-connection-waiting", waitingName(next));
        assertEquals(waiting, threads.pooled(), "the connection ran on a waiting thread");
        threads.close(Duration.ofSeconds(10));
        awaitPooled(threads, 0);
        assertEquals(0, threads.pooled(), "closing ends the waiting threads");
    }

    private static String waitingName(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!thread.getName().equals("ws-connection-waiting") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return thread.getName();
    }

    @Test
    void withoutReuseEveryConnectionGetsANewThreadThatEndsWithIt() throws Exception {
        ConnectionThreads threads = new ConnectionThreads(platform(false));
        Thread first = runOn(threads, "ws-1");
        first.join(10_000);
        assertFalse(first.isAlive());
        Thread second = runOn(threads, "ws-2");
        assertNotSame(first, second);
    }

    @Test
    void virtualThreadsAreNeverKeptWaiting() throws Exception {
        StreamSettings virtual = new StreamSettings("test", Thread.ofVirtual().factory(), 4096);
        assertFalse(virtual.reuseThreads());
        Thread thread = runOn(new ConnectionThreads(virtual), "ws-1");
        assertTrue(thread.isVirtual());
    }
}
