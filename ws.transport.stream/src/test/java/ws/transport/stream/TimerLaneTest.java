package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TimerLane: timers of one delay, due in the order armed, O(1) to cancel, one scheduler task")
class TimerLaneTest {
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    @DisplayName("timers run in the order they were armed; cancelled ones never run; the scheduler holds one task")
    void dueInOrderCancelledSkipped() throws Exception {
        TimerLane lane = new TimerLane(TimeUnit.MILLISECONDS.toNanos(200), scheduler);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        Future<?>[] timers = new Future<?>[5];
        for (int i = 0; i < 5; i++) {
            int n = i;
            timers[i] = lane.add(() -> {
                ran.add(n);
                done.countDown();
            });
        }
        assertEquals(1, scheduler.getQueue().size(), "one wake-up for the whole lane, not one task per timer");
        assertTrue(timers[0].cancel(false), "the first, cancelled before it is due");
        assertTrue(timers[3].cancel(false), "one in the middle");
        assertEquals(3, lane.size());
        assertFalse(timers[0].cancel(false), "cancelling twice does nothing");
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 4), ran);
        assertEquals(0, lane.size());
        assertTrue(timers[1].isDone() && !timers[1].isCancelled());
        assertFalse(timers[1].cancel(false), "a timer that ran cannot be cancelled");
        assertTrue(timers[0].isCancelled());
    }

    @Test
    @DisplayName("a lane emptied by cancels leaves no task behind; one armed later still runs")
    void emptiedLaneWakesAgainForTheNext() throws Exception {
        TimerLane lane = new TimerLane(TimeUnit.MILLISECONDS.toNanos(50), scheduler);
        lane.add(() -> { }).cancel(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!scheduler.getQueue().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(scheduler.getQueue().isEmpty(), "the wake-up found nothing and asked for no other");
        CountDownLatch ran = new CountDownLatch(1);
        lane.add(ran::countDown);
        assertTrue(ran.await(30, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("only its own delay goes in a lane; a closed lane drops what is pending and arms nothing")
    void takesOneDelayAndCloses() throws Exception {
        TimerLane lane = new TimerLane(TimeUnit.MILLISECONDS.toNanos(100), scheduler);
        assertTrue(lane.takes(TimeUnit.MILLISECONDS.toNanos(100)));
        assertFalse(lane.takes(TimeUnit.MILLISECONDS.toNanos(101)));
        CountDownLatch ran = new CountDownLatch(1);
        lane.add(ran::countDown);
        lane.close();
        assertEquals(0, lane.size());
        assertSame(Timers.NONE, lane.add(ran::countDown));
        assertFalse(ran.await(500, TimeUnit.MILLISECONDS), "a dropped timer never runs");
    }

    @Test
    @DisplayName("system timers: the handshake delay's timers run on virtual threads; closing leaves no thread")
    void systemTimersLane() throws Exception {
        Timers timers = Timers.system("lane-test");
        CountDownLatch ran = new CountDownLatch(2);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        Runnable action = () -> {
            virtual.add(Thread.currentThread().isVirtual());
            ran.countDown();
        };
        long delay = TimeUnit.MILLISECONDS.toNanos(20);
        timers.scheduleInLane(delay, "c1", "idle-timeout", action);
        timers.scheduleInLane(2 * delay, "c2", "idle-timeout", action); // another delay: the scheduler's own queue
        assertTrue(timers.scheduleInLane(delay, "c3", "idle-timeout", action).cancel(false));
        assertTrue(ran.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(true, true), virtual);
        timers.scheduleInLane(TimeUnit.SECONDS.toNanos(30), "c4", "idle-timeout", action);
        timers.close();
        assertTrue(timers.awaitTermination(java.time.Duration.ofSeconds(30)), "the scheduler thread ended");
        assertSame(Timers.NONE, timers.scheduleInLane(delay, "c5", "idle-timeout", action));
    }
}
