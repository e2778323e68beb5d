package ws.events.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import ws.protocol.api.Backoff;

/** The event client's policy: Socket.IO's delays on the core backoff, and a number of attempts. */
class ReconnectionTest {

    @Test
    void socketIoDelaysWithFullJitter() {
        Reconnection policy = Reconnection.DEFAULT; // 1 s, x2, capped at 5 s
        assertEquals(Duration.ofSeconds(1), policy.backoff().window(1));
        assertEquals(Duration.ofSeconds(4), policy.backoff().window(3));
        assertEquals(Duration.ofSeconds(5), policy.backoff().window(1_000));
        assertEquals(Duration.ofMillis(500), policy.delay(1, 0.5));
        assertEquals(Duration.ZERO, policy.delay(3, 0));
    }

    @Test
    void withoutJitterEveryRandomGivesTheSameDelay() {
        Reconnection policy = Reconnection.DEFAULT.withJitter(Backoff.Jitter.NONE).withMultiplier(3)
                .withDelays(Duration.ofMillis(100), Duration.ofSeconds(60));
        assertEquals(Duration.ofMillis(900), policy.delay(3, 0));
        assertEquals(Duration.ofMillis(900), policy.delay(3, 0.9));
    }

    @Test
    void zeroAttemptsTurnsItOff() {
        assertFalse(Reconnection.NEVER.enabled());
        assertTrue(Reconnection.DEFAULT.enabled());
        assertEquals(Integer.MAX_VALUE, Reconnection.DEFAULT.maxAttempts());
    }

    @Test
    void rejectsWhatMakesNoSense() {
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.withMultiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.withMaxAttempts(-1));
        assertThrows(IllegalArgumentException.class,
                () -> Reconnection.DEFAULT.withDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.delay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.delay(1, 1.0));
    }
}
