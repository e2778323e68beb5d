package ws.events;

import java.util.concurrent.locks.ReentrantLock;

/** One socket's token bucket for its {@link RateLimit}. */
final class RateLimiter {
    private final RateLimit limit;
    private final Scheduler clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final double nanosPerToken;
    private double tokens;
    private long lastRefill;
    private boolean told;

    RateLimiter(RateLimit limit, Scheduler clock) {
        this.limit = limit;
        this.clock = clock;
        this.nanosPerToken = (double) limit.per().toNanos() / limit.events();
        this.tokens = limit.events();
        this.lastRefill = clock.nanoTime();
    }

    RateLimit limit() {
        return limit;
    }

    /** Takes a token if there is one; a success ends a run of refusals. */
    boolean tryAcquire() {
        lock.lock();
        try {
            long now = clock.nanoTime();
            tokens = Math.min(limit.events(), tokens + (now - lastRefill) / nanosPerToken);
            lastRefill = now;
            if (tokens >= 1) {
                tokens -= 1;
                told = false;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the client should be told of this refusal (the first of a run). */
    boolean shouldTell() {
        lock.lock();
        try {
            boolean tell = !told;
            told = true;
            return tell;
        } finally {
            lock.unlock();
        }
    }
}
