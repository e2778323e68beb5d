package ws.transport.stream;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimersTest {

    @Test
    void actionsRunOnVirtualThreadsNotOnTheSchedulerThread() throws Exception {
        try (Timers timers = Timers.system("test")) {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            timers.schedule(Duration.ofMillis(10), "tick", () -> ran.complete(Thread.currentThread()));
            Thread thread = ran.get(30, TimeUnit.SECONDS);
            assertTrue(thread.isVirtual());
        }
    }

    @Test
    void aCancelledTimerDoesNotRun() throws Exception {
        try (Timers timers = Timers.system("test")) {
            CompletableFuture<Void> ran = new CompletableFuture<>();
            // cancelled at once: only a stall of the test thread for the whole delay could let it run
            // first (200 ms was within reach of a loaded machine; the cancel must succeed)
            assertTrue(timers.schedule(Duration.ofSeconds(1), "late", () -> ran.complete(null)).cancel(false));
            Thread.sleep(1500);
            assertTrue(!ran.isDone());
        }
    }

    @Test
    void closedTimersScheduleNothing() {
        Timers timers = Timers.system("test");
        timers.close();
        assertTrue(timers.isClosed());
        assertSame(Timers.NONE, timers.schedule(Duration.ofMillis(1), "x", () -> { }));
    }
}
