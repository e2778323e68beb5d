package ws.protocol.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before each attempt to connect again: exponential backoff, capped, with full
 * jitter. Immutable; a pure function of the attempt number and a random number, so it is the same
 * on every transport and exact in tests.
 *
 * <p>The delay before attempt {@code n} (1 for the first after a drop) is drawn from the window
 * {@code [0, min(maxDelay, initialDelay * multiplier^(n-1))]}: with {@link Jitter#FULL} uniformly
 * from all of it, with {@link Jitter#NONE} its upper end. With the defaults (1 s, doubling, 30 s):
 * windows of 1, 2, 4, 8, 16, 30, 30, ... seconds.
 *
 * <p><b>Why full jitter.</b> When a server restarts, every client loses its connection at the same
 * instant; if they all waited the same delay they would come back at the same instant too, and
 * again after each failed attempt. Full jitter spreads each round over the whole window, so the
 * load a herd puts on a recovering server is flat rather than a spike, and it does so with the
 * fewest attempts in total of the usual variants (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015: full jitter did the least work; decorrelated jitter, whose next delay depends on the
 * previous one, finished slightly sooner for slightly more work, and has no fixed window per
 * attempt). A fixed window per attempt also makes the sequence and its bounds exact to state and to
 * test. A delay near zero is harmless:
 * the windows grow with each failed attempt, so a server that keeps refusing is tried less and less
 * often.
 *
 * <p><b>Slowing down.</b> When a server says it is overloaded (close code 1013 "try again later",
 * or a handshake answered 503 or 429), {@link #slowDownDelay} is the delay: from the upper half of
 * the cap's window, {@code [maxDelay/2, maxDelay]} (the cap itself without jitter), whatever the
 * attempt number.
 *
 * @param initialDelay the upper end of the first window; at least 0
 * @param multiplier   how much each window grows over the one before; at least 1
 * @param maxDelay     the cap on every delay; at least {@code initialDelay}
 * @param jitter       whether the delay is drawn from its window or is its upper end
 */
public record Backoff(Duration initialDelay, double multiplier, Duration maxDelay, Jitter jitter) {

    /** How a delay is drawn from its window. */
    public enum Jitter {
        /** Exactly the upper end of the window: deterministic, for tests and single clients. */
        NONE,
        /** Uniformly from the whole window {@code [0, upper end]} (the default). */
        FULL
    }

    /** 1 s, doubling, capped at 30 s, full jitter. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30), Jitter.FULL);

    /** Checks that the delays are ordered and the multiplier at least 1. */
    public Backoff {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(jitter, "jitter");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + " and "
                    + maxDelay);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1 and finite, got " + multiplier);
        }
    }

    /** Exponential backoff from {@code initialDelay}, doubling, capped at {@code maxDelay}, with full jitter. */
    public static Backoff exponential(Duration initialDelay, Duration maxDelay) {
        return new Backoff(initialDelay, 2, maxDelay, Jitter.FULL);
    }

    /** The same with another growth factor. */
    public Backoff withMultiplier(double value) {
        return new Backoff(initialDelay, value, maxDelay, jitter);
    }

    /** The same with another jitter. */
    public Backoff withJitter(Jitter value) {
        return new Backoff(initialDelay, multiplier, maxDelay, value);
    }

    /**
     * The upper end of attempt {@code attempt}'s window: {@code min(maxDelay, initialDelay * multiplier^(attempt-1))}.
     *
     * @param attempt 1 for the first attempt
     */
    public Duration window(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        double cap = maxDelay.toNanos();
        double upper = Math.min(cap, initialDelay.toNanos() * Math.pow(multiplier, attempt - 1));
        return Duration.ofNanos((long) upper);
    }

    /**
     * The delay before attempt {@code attempt}.
     *
     * @param attempt 1 for the first attempt
     * @param random  a number in {@code [0, 1)} (from the client's random source); ignored without jitter
     */
    public Duration delay(int attempt, double random) {
        return draw(0, window(attempt).toNanos(), random);
    }

    /**
     * The delay after the server asked the client to slow down (1013, 503, 429): from
     * {@code [maxDelay/2, maxDelay]}, or {@code maxDelay} without jitter.
     *
     * @param random a number in {@code [0, 1)}; ignored without jitter
     */
    public Duration slowDownDelay(double random) {
        long cap = maxDelay.toNanos();
        return draw(cap / 2, cap, random);
    }

    private Duration draw(long low, long high, double random) {
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be within [0, 1), got " + random);
        }
        if (jitter == Jitter.NONE) {
            return Duration.ofNanos(high);
        }
        return Duration.ofNanos(low + (long) ((high - low) * random));
    }
}
