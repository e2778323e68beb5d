package ws.events.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The backoff: exponential from the initial delay, jitter either way, the cap over everything. */
class ReconnectionTest {
    private static final double NO_JITTER = 0.5;

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        Reconnection policy = Reconnection.DEFAULT; // 1 s, x2, capped at 5 s
        assertEquals(Duration.ofSeconds(1), policy.delay(1, NO_JITTER));
        assertEquals(Duration.ofSeconds(2), policy.delay(2, NO_JITTER));
        assertEquals(Duration.ofSeconds(4), policy.delay(3, NO_JITTER));
        assertEquals(Duration.ofSeconds(5), policy.delay(4, NO_JITTER));
        assertEquals(Duration.ofSeconds(5), policy.delay(1_000, NO_JITTER), "no overflow after many attempts");
    }

    @Test
    void jitterMovesTheDelayEitherWayByItsFractionAndTheCapStillHolds() {
        Reconnection policy = Reconnection.DEFAULT; // 50% jitter
        assertEquals(Duration.ofMillis(500), policy.delay(1, 0));
        assertEquals(Duration.ofMillis(750), policy.delay(1, 0.25));
        assertEquals(Duration.ofMillis(1_250), policy.delay(1, 0.75));
        assertTrue(policy.delay(1, 0.999_999).compareTo(Duration.ofMillis(1_500)) < 0);
        assertEquals(Duration.ofMillis(3_000), policy.delay(3, 0.25));
        assertEquals(Duration.ofSeconds(5), policy.delay(3, 0.999), "4 s + 50% is capped at 5 s");
    }

    @Test
    void withoutJitterEveryRandomGivesTheSameDelay() {
        Reconnection policy = Reconnection.DEFAULT.withJitter(0).withMultiplier(3)
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
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.withJitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.withMultiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.withMaxAttempts(-1));
        assertThrows(IllegalArgumentException.class,
                () -> Reconnection.DEFAULT.withDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.delay(0, NO_JITTER));
        assertThrows(IllegalArgumentException.class, () -> Reconnection.DEFAULT.delay(1, 1.0));
    }
}
