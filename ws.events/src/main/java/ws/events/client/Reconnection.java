package ws.events.client;

import java.time.Duration;
import java.util.Objects;
import ws.protocol.api.Backoff;

/**
 * When an {@link EventClient} tries again after losing its connection (or failing to open it): the
 * core {@link Backoff} (exponential, capped, full jitter: the same delays as
 * {@link ws.protocol.api.ReconnectingWebSocket}'s), for at most a number of attempts.
 *
 * <p>The delay before attempt {@code n} (1 for the first) is drawn from
 * {@code [0, min(maxDelay, initialDelay * multiplier^(n-1))]} (see {@link Backoff} for why full
 * jitter). After {@code maxAttempts} failed attempts the client gives up
 * ({@link EventClient#onReconnectFailed}).
 *
 * @param backoff     the delays between attempts
 * @param maxAttempts attempts before giving up; 0 turns reconnection off
 */
public record Reconnection(Backoff backoff, int maxAttempts) {

    /** Socket.IO's delays: 1 s, doubling, capped at 5 s (with full jitter), never giving up. */
    public static final Reconnection DEFAULT =
            new Reconnection(new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(5), Backoff.Jitter.FULL),
                    Integer.MAX_VALUE);

    /** No reconnection: a lost connection stays lost. */
    public static final Reconnection NEVER = DEFAULT.withMaxAttempts(0);

    /** Checks the number of attempts. */
    public Reconnection {
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must be >= 0, got " + maxAttempts);
        }
    }

    /** The same with other delays. */
    public Reconnection withDelays(Duration initial, Duration max) {
        return withBackoff(new Backoff(initial, backoff.multiplier(), max, backoff.jitter()));
    }

    /** The same with another growth factor. */
    public Reconnection withMultiplier(double value) {
        return withBackoff(backoff.withMultiplier(value));
    }

    /** The same with another jitter ({@link Backoff.Jitter#NONE}: exact delays). */
    public Reconnection withJitter(Backoff.Jitter value) {
        return withBackoff(backoff.withJitter(value));
    }

    /** The same with another backoff. */
    public Reconnection withBackoff(Backoff value) {
        return new Reconnection(value, maxAttempts);
    }

    /** The same with another number of attempts (0: off). */
    public Reconnection withMaxAttempts(int value) {
        return new Reconnection(backoff, value);
    }

    /** Whether the client reconnects at all. */
    public boolean enabled() {
        return maxAttempts > 0;
    }

    /**
     * The delay before attempt {@code attempt}: {@link Backoff#delay}.
     *
     * @param attempt the attempt, 1 for the first
     * @param random  a random number in [0, 1)
     */
    public Duration delay(int attempt, double random) {
        return backoff.delay(attempt, random);
    }
}
