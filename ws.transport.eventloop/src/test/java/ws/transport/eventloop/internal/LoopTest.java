package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One loop group's tasks, timers and read-buffer loans, without sockets: what every connection of the
 * event-loop transport relies on. Waits are bounded by latches, never by sleeping for a timer.
 */
class LoopTest {
    private final LoopGroup group;

    LoopTest() throws Exception {
        group = new LoopGroup("test-loop", 2, true, 1024);
    }

    @AfterEach
    void stop() {
        group.stop();
    }

    @Test
    void aTaskFromAnotherThreadRunsOnTheLoop() throws Exception {
        Loop loop = group.first();
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        loop.execute(() -> ran.complete(Thread.currentThread()));
        Thread thread = ran.get(10, TimeUnit.SECONDS);
        assertTrue(thread.getName().startsWith("test-loop-"), thread.getName());
        assertFalse(loop.inLoop());
    }

    @Test
    void timersRunOnTheirLoopInDeadlineOrder() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        CompletableFuture<Void> scheduled = new CompletableFuture<>();
        Loop loop = group.first();
        loop.execute(() -> {
            // scheduled on the loop: the group puts them in this loop's queue; each deadline counts
            // from its own call, so the gaps are far beyond a stall of the loop thread between two
            // calls (20 ms against 60 ms let a 40 ms stall on a loaded machine put "soon" after "late")
            group.schedule(TimeUnit.MILLISECONDS.toNanos(1000), "c", "late", () -> { order.add("late"); done.countDown(); });
            group.schedule(0, "c", "now", () -> { order.add("now"); done.countDown(); });
            group.schedule(TimeUnit.MILLISECONDS.toNanos(500), "c", "soon", () -> {
                order.add(loop.inLoop() ? "soon" : "soon, elsewhere");
                done.countDown();
            });
            scheduled.complete(null);
        });
        scheduled.get(10, TimeUnit.SECONDS);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("now", "soon", "late"), order);
    }

    @Test
    void aCancelledTimerNeverRunsAndKeepsNothing() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        // cancelled right after it is scheduled: only a stall of the test thread for the whole delay
        // (30 ms was within reach of a loaded machine) could let it run first
        LoopTimer timer = (LoopTimer) group.schedule(TimeUnit.MILLISECONDS.toNanos(500), "c", "cancelled", () -> ran.set(true));
        assertTrue(timer.cancel(false));
        assertTrue(timer.isCancelled());
        CountDownLatch after = new CountDownLatch(1);
        group.schedule(TimeUnit.MILLISECONDS.toNanos(600), "c", "after", after::countDown);
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertFalse(ran.get(), "a cancelled timer ran");
        assertFalse(timer.cancel(false), "cancelled twice");
    }

    @Test
    void theReadBufferIsLentAndGivenBack() throws Exception {
        Loop loop = group.first();
        CompletableFuture<Integer> during = new CompletableFuture<>();
        loop.execute(() -> {
            loop.borrow().put((byte) 1);
            during.complete(group.buffersLent());
            loop.giveBack();
        });
        assertEquals(1, during.get(10, TimeUnit.SECONDS));
        CompletableFuture<Integer> afterwards = new CompletableFuture<>();
        loop.execute(() -> afterwards.complete(group.buffersLent()));
        assertEquals(0, afterwards.get(10, TimeUnit.SECONDS));
    }
}
