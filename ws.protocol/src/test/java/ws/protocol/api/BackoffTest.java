package ws.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter: the windows, the cap, the draws, and slowing down. */
class BackoffTest {
    private static final Backoff EXACT = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Backoff.Jitter.NONE);

    @Test
    void windowsGrowByTheMultiplierUpToTheCap() {
        long[] seconds = new long[9];
        for (int attempt = 1; attempt <= 9; attempt++) {
            seconds[attempt - 1] = EXACT.delay(attempt, 0.3).toSeconds();
        }
        assertEquals("[1, 2, 4, 8, 16, 30, 30, 30, 30]", java.util.Arrays.toString(seconds));
        assertEquals(Duration.ofSeconds(30), EXACT.window(1_000_000)); // no overflow for huge attempt numbers
        assertEquals(Duration.ofMillis(2250), EXACT.withMultiplier(1.5).window(3));
    }

    @Test
    void fullJitterDrawsFromTheWholeWindow() {
        Backoff full = EXACT.withJitter(Backoff.Jitter.FULL);
        assertEquals(Duration.ZERO, full.delay(3, 0.0));
        assertEquals(Duration.ofSeconds(2), full.delay(3, 0.5));
        SplittableRandom random = new SplittableRandom(42);
        long low = Long.MAX_VALUE;
        long high = 0;
        for (int i = 0; i < 10_000; i++) {
            long nanos = full.delay(4, random.nextDouble()).toNanos();
            assertTrue(nanos >= 0 && nanos <= Duration.ofSeconds(8).toNanos(), nanos + " outside [0, 8 s]");
            low = Math.min(low, nanos);
            high = Math.max(high, nanos);
        }
        // spread over the window, not bunched in a corner
        assertTrue(low < Duration.ofMillis(100).toNanos() && high > Duration.ofMillis(7900).toNanos(), low + ".." + high);
    }

    @Test
    void slowingDownWaitsTheUpperHalfOfTheCap() {
        Backoff full = EXACT.withJitter(Backoff.Jitter.FULL);
        assertEquals(Duration.ofSeconds(15), full.slowDownDelay(0.0));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) {
            Duration delay = full.slowDownDelay(random.nextDouble());
            assertTrue(delay.compareTo(Duration.ofSeconds(15)) >= 0 && delay.compareTo(Duration.ofSeconds(30)) <= 0,
                    delay.toString());
        }
        assertEquals(Duration.ofSeconds(30), EXACT.slowDownDelay(0.1));
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> EXACT.withMultiplier(0.5));
        assertThrows(IllegalArgumentException.class, () -> EXACT.withMultiplier(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> EXACT.delay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> EXACT.delay(1, 1.0));
    }
}
