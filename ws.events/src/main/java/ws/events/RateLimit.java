package ws.events;

import java.time.Duration;
import java.util.Objects;

/**
 * How many events one socket may send: a token bucket of {@code events} tokens, refilled evenly
 * over {@code per}. An event over the limit is dropped (never reaches a listener, never acked) and
 * the client is told with the event {@code errorEvent} and one argument
 * {@code {"message":"rate limit exceeded","event":<name>,"limit":<events>,"perMillis":<per>}}, once
 * per run of dropped events.
 *
 * @param events     the burst: events allowed at once
 * @param per        the time over which that many are refilled
 * @param errorEvent the event that tells the client
 */
public record RateLimit(int events, Duration per, String errorEvent) {
    /** The default name of the event that tells a client it went over the limit. */
    public static final String DEFAULT_ERROR_EVENT = "rate_limit";

    /** Checks the components. */
    public RateLimit {
        if (events < 1) {
            throw new IllegalArgumentException("a rate limit allows at least one event, not " + events);
        }
        Objects.requireNonNull(per, "per");
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate limit period must be positive: " + per);
        }
        Objects.requireNonNull(errorEvent, "errorEvent");
    }

    /** {@code events} per {@code per}, told with {@value #DEFAULT_ERROR_EVENT}. */
    public static RateLimit of(int events, Duration per) {
        return new RateLimit(events, per, DEFAULT_ERROR_EVENT);
    }
}
