package ws.events.client;

import java.time.Duration;
import java.util.Objects;

/**
 * When an {@link EventClient} tries again after losing its connection (or failing to open it):
 * exponential backoff with jitter, capped, for at most a number of attempts.
 *
 * <p>The delay before attempt {@code n} (1 for the first) is {@code initialDelay * multiplier^(n-1)},
 * moved at random by up to {@code jitter} of itself either way (so that clients dropped together do
 * not come back together), and never more than {@code maxDelay}. After {@code maxAttempts} failed
 * attempts the client gives up ({@link EventClient#onReconnectFailed}).
 *
 * @param initialDelay the delay before the first attempt, before jitter
 * @param maxDelay     the cap on every delay, jitter included
 * @param multiplier   the growth from one attempt to the next, at least 1
 * @param jitter       the random part, from 0 (none) to 1 (anywhere between 0 and twice the delay)
 * @param maxAttempts  attempts before giving up; 0 turns reconnection off
 */
public record Reconnection(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                           int maxAttempts) {

    /** Socket.IO's defaults: 1 s, doubling, 50% jitter, capped at 5 s, never giving up. */
    public static final Reconnection DEFAULT =
            new Reconnection(Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 0.5, Integer.MAX_VALUE);

    /** No reconnection: a lost connection stays lost. */
    public static final Reconnection NEVER = DEFAULT.withMaxAttempts(0);

    public Reconnection {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + " and " + maxDelay);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1, got " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], got " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 0, got " + maxAttempts);
        }
    }

    /** The same with other delays. */
    public Reconnection withDelays(Duration initial, Duration max) {
        return new Reconnection(initial, max, multiplier, jitter, maxAttempts);
    }

    /** The same with another growth factor. */
    public Reconnection withMultiplier(double value) {
        return new Reconnection(initialDelay, maxDelay, value, jitter, maxAttempts);
    }

    /** The same with another random part. */
    public Reconnection withJitter(double value) {
        return new Reconnection(initialDelay, maxDelay, multiplier, value, maxAttempts);
    }

    /** The same with another number of attempts (0: off). */
    public Reconnection withMaxAttempts(int value) {
        return new Reconnection(initialDelay, maxDelay, multiplier, jitter, value);
    }

    /** Whether the client reconnects at all. */
    public boolean enabled() {
        return maxAttempts > 0;
    }

    /**
     * The delay before attempt {@code attempt}.
     *
     * @param attempt the attempt, 1 for the first
     * @param random  a random number in [0, 1): 0.5 means no jitter, 0 the shortest delay, towards 1 the longest
     */
    public Duration delay(int attempt, double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be within [0, 1), got " + random);
        }
        double max = maxDelay.toNanos();
        double base = Math.min(max, initialDelay.toNanos() * Math.pow(multiplier, attempt - 1));
        double jittered = base * (1 + jitter * (2 * random - 1));
        return Duration.ofNanos((long) Math.max(0, Math.min(max, jittered)));
    }
}
