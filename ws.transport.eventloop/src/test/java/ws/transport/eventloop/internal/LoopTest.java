package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
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
    void aCancelledTimerLeavesTheQueueAtOnceNotWhenItWouldHaveComeDue() throws Exception {
        Loop loop = group.first();
        CompletableFuture<int[]> counts = new CompletableFuture<>();
        loop.execute(() -> {
            int before = loop.pendingTimers();
            List<LoopTimer> timers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                timers.add(loop.schedule(TimeUnit.SECONDS.toNanos(600 + i % 7), () -> { }));
            }
            int queued = loop.pendingTimers();
            for (int i = 0; i < timers.size(); i += 2) {
                timers.get(i).cancel(false);
            }
            int half = loop.pendingTimers();
            timers.forEach(t -> t.cancel(false));
            counts.complete(new int[] {queued - before, half - before, loop.pendingTimers() - before});
        });
        int[] got = counts.get(10, TimeUnit.SECONDS);
        assertEquals(1000, got[0]);
        assertEquals(500, got[1], "cancelled on the loop: out of the queue at once");
        assertEquals(0, got[2]);
    }

    @Test
    void aTimerCancelledFromAnotherThreadLeavesTheQueueByTheLoopsNextTasks() throws Exception {
        Loop loop = group.first();
        CompletableFuture<Integer> before = new CompletableFuture<>();
        CompletableFuture<LoopTimer> scheduled = new CompletableFuture<>();
        loop.execute(() -> {
            before.complete(loop.pendingTimers());
            scheduled.complete(loop.schedule(TimeUnit.SECONDS.toNanos(600), () -> { }));
        });
        LoopTimer timer = scheduled.get(10, TimeUnit.SECONDS);
        assertTrue(timer.cancel(false)); // from this thread
        LoopTimer never = loop.schedule(TimeUnit.SECONDS.toNanos(600), () -> { }); // queued by a task of the loop
        assertTrue(never.cancel(false)); // cancelled before that task ran: never queued
        CompletableFuture<Integer> after = new CompletableFuture<>();
        loop.execute(() -> after.complete(loop.pendingTimers()));
        assertEquals(before.get(10, TimeUnit.SECONDS), after.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTimerWhoseActionSchedulesItselfAgainIsArmedAgainNotReplaced() throws Exception {
        Loop loop = group.first();
        List<Future<?>> handles = new CopyOnWriteArrayList<>();
        CountDownLatch thrice = new CountDownLatch(3);
        CompletableFuture<Future<?>> other = new CompletableFuture<>();
        CompletableFuture<Integer> queuedAfter = new CompletableFuture<>();
        Runnable tick = new Runnable() {
            @Override
            public void run() {
                thrice.countDown();
                if (thrice.getCount() > 0) {
                    handles.add(group.schedule(0, "c", "tick", this)); // as a connection's keepalive does
                } else {
                    other.complete(group.schedule(TimeUnit.SECONDS.toNanos(600), "c", "other", () -> { }));
                    queuedAfter.complete(loop.pendingTimers());
                }
            }
        };
        CompletableFuture<Integer> queuedBefore = new CompletableFuture<>();
        loop.execute(() -> {
            queuedBefore.complete(loop.pendingTimers());
            handles.add(group.schedule(0, "c", "tick", tick));
        });
        assertTrue(thrice.await(10, TimeUnit.SECONDS));
        assertEquals(3, handles.size(), "scheduled at first, then by two of its runs");
        assertSame(handles.get(0), handles.get(1), "the running timer, armed again");
        assertSame(handles.get(0), handles.get(2));
        Future<?> another = other.get(10, TimeUnit.SECONDS);
        assertNotSame(handles.get(0), another, "another action gets a timer of its own");
        assertTrue(handles.get(0).isDone(), "ran for good the third time");
        assertEquals(1, queuedAfter.get(10, TimeUnit.SECONDS) - queuedBefore.get(10, TimeUnit.SECONDS),
                "only the other one is queued");
        assertTrue(another.cancel(false));
    }

    @Test
    void aTimerArmedAgainCanBeCancelledAsANewOne() throws Exception {
        Loop loop = group.first();
        AtomicBoolean ranAgain = new AtomicBoolean();
        CompletableFuture<LoopTimer> again = new CompletableFuture<>();
        AtomicBoolean first = new AtomicBoolean(true);
        Runnable tick = new Runnable() {
            @Override
            public void run() {
                if (first.getAndSet(false)) {
                    LoopTimer armed = loop.schedule(TimeUnit.MILLISECONDS.toNanos(300), this);
                    assertTrue(armed.cancel(false), "armed again, then cancelled: as a connection that ended meanwhile");
                    again.complete(armed);
                } else {
                    ranAgain.set(true);
                }
            }
        };
        CompletableFuture<LoopTimer> scheduled = new CompletableFuture<>();
        loop.execute(() -> scheduled.complete(loop.schedule(0, tick)));
        LoopTimer armed = again.get(10, TimeUnit.SECONDS);
        assertSame(scheduled.get(10, TimeUnit.SECONDS), armed, "the running timer, armed again");
        assertTrue(armed.isCancelled());
        CountDownLatch after = new CountDownLatch(1);
        loop.execute(() -> loop.schedule(TimeUnit.MILLISECONDS.toNanos(400), after::countDown));
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertFalse(ranAgain.get(), "a cancelled timer ran");
    }

    @Test
    void laneTimersOfOneDelayRunInOrderAmongTheHeapsAndLeaveAtOnceWhenCancelled() throws Exception {
        Loop loop = group.first();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        CompletableFuture<int[]> counts = new CompletableFuture<>();
        loop.execute(() -> {
            int before = loop.pendingTimers();
            long lane = TimeUnit.MILLISECONDS.toNanos(500);
            loop.scheduleInLane(lane, () -> { order.add("lane 1"); done.countDown(); });
            LoopTimer cancelled = loop.scheduleInLane(lane, () -> order.add("cancelled"));
            loop.scheduleInLane(lane, () -> { order.add("lane 3"); done.countDown(); });
            loop.schedule(0, () -> { order.add("heap, sooner"); done.countDown(); });
            // another delay cannot keep the lane's order: it goes to the heap, and still runs in its turn
            loop.scheduleInLane(TimeUnit.MILLISECONDS.toNanos(1000), () -> { order.add("heap, later"); done.countDown(); });
            int queued = loop.pendingTimers() - before;
            cancelled.cancel(false);
            counts.complete(new int[] {queued, loop.pendingTimers() - before});
        });
        int[] got = counts.get(10, TimeUnit.SECONDS);
        assertEquals(5, got[0]);
        assertEquals(4, got[1], "cancelled in the lane: out at once");
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("heap, sooner", "lane 1", "lane 3", "heap, later"), order);
    }

    @Test
    void theHeapKeepsDeadlineOrderThroughRemovals() {
        TimerHeap heap = new TimerHeap();
        java.util.Random random = new java.util.Random(19);
        List<LoopTimer> kept = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            LoopTimer timer = new LoopTimer(group.first(), random.nextInt(500), () -> { });
            heap.add(timer);
            if (random.nextInt(3) == 0) {
                heap.remove(timer);
            } else {
                kept.add(timer);
            }
            if (!kept.isEmpty() && random.nextInt(5) == 0) {
                heap.remove(kept.remove(random.nextInt(kept.size())));
            }
        }
        assertEquals(kept.size(), heap.size());
        kept.sort(LoopTimer::compareTo); // by deadline, then by the order they were added
        for (LoopTimer expected : kept) {
            LoopTimer next = heap.peek();
            assertTrue(expected == next, "deadline " + expected.deadline + " expected, got " + next.deadline);
            heap.remove(next);
        }
        assertEquals(null, heap.peek());
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
