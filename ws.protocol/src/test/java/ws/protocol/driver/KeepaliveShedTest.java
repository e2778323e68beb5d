package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;

/**
 * An idle server connection between keepalive pings holds what it held before the first: what the
 * ping and the peer's pong made goes once the pong is handled, not at the next timer tick.
 */
class KeepaliveShedTest {
    private final AtomicLong now = new AtomicLong();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<String> armed = new ArrayList<>();

    private final ConnectionHost host = new TestHost() {
        @Override
        public Scheduler scheduler() {
            return new Scheduler() {
                @Override
                public long nanoTime() {
                    return now.get();
                }

                @Override
                public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
                    timers.add(action);
                    armed.add(what);
                    return new CompletableFuture<>(); // run by the test
                }
            };
        }

        @Override
        public ConnectionOptions connectionOptions() {
            return ConnectionOptions.defaults().withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(20));
        }
    };

    /** A pong from the client: masked (with a zero key, so the payload reads as sent), 8 bytes as our pings carry. */
    private static ByteBuffer pong() {
        byte[] frame = new byte[2 + 4 + 8];
        frame[0] = (byte) 0x8A;
        frame[1] = (byte) (0x80 | 8);
        return ByteBuffer.wrap(frame);
    }

    @Test
    @DisplayName("after the keepalive's ping and the peer's pong: no inbox, no outgoing queue, no engine buffer")
    void thePongLeavesNothingBehind() {
        ConnectionDriver driver = TestHost.open(host);
        assertNull(driver.inbox, "open and idle: no inbox");
        assertNull(driver.outbound, "open and idle: no outgoing queue");

        now.set(TimeUnit.SECONDS.toNanos(30));
        timers.removeLast().run(); // the keepalive's tick: 30 s without input, a ping
        assertNull(driver.outbound, "the ping is written: its queue went");

        driver.receive(pong());
        assertTrue(driver.isOpen());
        assertNull(driver.inbox, "the pong's inbox went with the pump that handled it");
        assertNull(driver.outbound);
        assertEquals(0, driver.engine.retainedBytes(), "the engine's control buffer went too");

        driver.receive(pong()); // an unasked pong: the same
        assertNull(driver.inbox);
        assertEquals(List.of("timer", "timer"), armed.stream().filter("timer"::equals).toList(),
                "the keepalive's tick at the open, then its next one: " + armed);
    }

    @Test
    @DisplayName("the keepalive's timer is armed with the same action every time: no object per tick")
    void everyTickArmsTheSameAction() {
        ConnectionDriver driver = TestHost.open(host);
        Runnable first = timers.getLast();
        now.set(TimeUnit.SECONDS.toNanos(30));
        timers.getLast().run(); // a ping
        driver.receive(pong());
        now.set(TimeUnit.SECONDS.toNanos(50));
        timers.getLast().run(); // the pong deadline: nothing due
        List<Runnable> ticks = new ArrayList<>();
        for (int i = 0; i < armed.size(); i++) {
            if (armed.get(i).equals("timer")) {
                ticks.add(timers.get(i));
            }
        }
        assertEquals(3, ticks.size(), "armed at the open and by each tick: " + armed);
        for (Runnable action : ticks) {
            assertSame(first, action, "one action for the connection's life, kept by it anyway");
        }
        assertSame(driver.liveness, first);
    }
}
