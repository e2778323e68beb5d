package ws.protocol.api;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.handshake.HandshakeException;

/**
 * When and how a {@link ReconnectingWebSocket} connects again, and what it does with messages sent
 * while it is down. Immutable; start from {@link #defaults()} and change it with the {@code with...}
 * methods, then pass it to {@link WebSocketClient#connectReconnecting}.
 *
 * <pre>{@code
 * Reconnect policy = Reconnect.defaults()
 *         .withBackoff(Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(10)))
 *         .withMaxAttempts(20)
 *         .withQueue(100, 1 << 20, Reconnect.Overflow.DROP_OLDEST);
 * }</pre>
 *
 * <p><b>What reconnects</b> ({@link #isTransient}, the default of {@link #when()}). Each connection
 * ends with a {@link CloseStatus}: the close code exchanged, or for a connection that failed, 1006
 * (or 1015) with the failure as its cause.
 * <table>
 *   <caption>The default reconnect rule</caption>
 *   <tr><th>how the connection ended</th><th>reconnects</th></tr>
 *   <tr><td>1001 going away, 1006 dropped without a close frame (reset, dead peer, keepalive timeout),
 *       1011 server error, 1012 service restart, 1014 bad gateway</td><td>yes</td></tr>
 *   <tr><td>1013 try again later</td><td>yes, after {@link Backoff#slowDownDelay} (the server is overloaded)</td></tr>
 *   <tr><td>1000 normal, 1005 no status, 1002 protocol error, 1003 unsupported data, 1007 invalid
 *       payload, 1008 policy violation, 1009 too big, 1010 mandatory extension, 3000-4999 (the
 *       application's)</td><td>no</td></tr>
 *   <tr><td>no connection: refused, reset, unreachable, unknown host, connect or handshake timeout,
 *       any other {@link java.io.IOException} or {@link java.util.concurrent.TimeoutException}</td><td>yes</td></tr>
 *   <tr><td>handshake refused with HTTP 5xx, 408 or 429; the connection ended before any answer</td><td>yes
 *       (503 and 429 slow down, as 1013)</td></tr>
 *   <tr><td>handshake refused with any other status (401, 403, 404, a redirect), or not a WebSocket
 *       answer</td><td>no</td></tr>
 *   <tr><td>HTTP proxy: authentication failed, a malformed answer, CONNECT refused with 4xx</td><td>no;
 *       unreachable, closed, timed out, refused with 5xx: yes</td></tr>
 *   <tr><td>TLS handshake failure (1015: a certificate or protocol mismatch)</td><td>no, unless the
 *       connection was lost during it (its cause an {@code IOException})</td></tr>
 * </table>
 * A close the application asked for ({@link WebSocket#close}, {@link WebSocket#abort}) never
 * reconnects, whatever the rule says.
 *
 * @param backoff      the delays between attempts
 * @param maxAttempts  failed attempts in a row after which it gives up; {@link #UNLIMITED} for never. The
 *                     count starts again once a connection stayed open for {@code stablePeriod}; a connection
 *                     that ends sooner counts as a failed attempt
 * @param stablePeriod how long a connection must stay open for the backoff to start again from its first
 *                     window after it ends
 * @param when         which ends reconnect (see the table); {@link #isTransient} by default
 * @param queueMessages how many messages sent while down it keeps, to send in order once connected
 * @param queueBytes   how many payload bytes it keeps
 * @param overflow     what a send does when the queue is full; with a queue of 0 messages every send
 *                     while down fails ({@link #withoutQueue()})
 */
public record Reconnect(Backoff backoff, int maxAttempts, Duration stablePeriod, Predicate<CloseStatus> when,
                        int queueMessages, long queueBytes, Overflow overflow) {

    /** {@link #maxAttempts()} for a client that never gives up. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** What a send does when the queue of a client that is down is full. */
    public enum Overflow {
        /** The new send fails with a {@link SendQueueException} ({@code QUEUE_FULL}); the queue is unchanged. */
        FAIL_NEW,
        /**
         * The oldest queued messages are dropped (their futures fail with a {@link SendQueueException},
         * {@code DROPPED}) until the new one fits; a message larger than the whole queue fails as with
         * {@link #FAIL_NEW}.
         */
        DROP_OLDEST
    }

    /** Checks the bounds. */
    public Reconnect {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(stablePeriod, "stablePeriod");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(overflow, "overflow");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1 (or UNLIMITED), got " + maxAttempts);
        }
        if (stablePeriod.isNegative()) {
            throw new IllegalArgumentException("stablePeriod " + stablePeriod + " is negative");
        }
        if (queueMessages < 0 || queueBytes < 0) {
            throw new IllegalArgumentException("queue bounds must be >= 0, got " + queueMessages + " messages and "
                    + queueBytes + " bytes");
        }
    }

    /**
     * {@link Backoff#DEFAULT} (1 s doubling to 30 s, full jitter), never giving up, a 30 s stable
     * period, {@link #isTransient}, a queue of 1,000 messages and 1 MiB that fails new sends when full.
     */
    public static Reconnect defaults() {
        return new Reconnect(Backoff.DEFAULT, UNLIMITED, Duration.ofSeconds(30), Reconnect::isTransient, 1_000,
                1L << 20, Overflow.FAIL_NEW);
    }

    /** The same with other delays. */
    public Reconnect withBackoff(Backoff value) {
        return new Reconnect(value, maxAttempts, stablePeriod, when, queueMessages, queueBytes, overflow);
    }

    /** The same, giving up after {@code value} failed attempts in a row ({@link #UNLIMITED}: never). */
    public Reconnect withMaxAttempts(int value) {
        return new Reconnect(backoff, value, stablePeriod, when, queueMessages, queueBytes, overflow);
    }

    /** The same with another stable period. */
    public Reconnect withStablePeriod(Duration value) {
        return new Reconnect(backoff, maxAttempts, value, when, queueMessages, queueBytes, overflow);
    }

    /**
     * The same with another rule for which ends reconnect; compose with the default, as in
     * {@code s -> Reconnect.isTransient(s) || s.code() == 4000}.
     */
    public Reconnect withWhen(Predicate<CloseStatus> value) {
        return new Reconnect(backoff, maxAttempts, stablePeriod, value, queueMessages, queueBytes, overflow);
    }

    /** The same with another queue for sends while down. */
    public Reconnect withQueue(int messages, long bytes, Overflow policy) {
        return new Reconnect(backoff, maxAttempts, stablePeriod, when, messages, bytes, policy);
    }

    /** The same with no queue: a send while down fails at once ({@link SendQueueException.Reason#NOT_CONNECTED}). */
    public Reconnect withoutQueue() {
        return withQueue(0, 0, Overflow.FAIL_NEW);
    }

    /** Whether the end {@code status} of a connection reconnects, by {@link #when()}. */
    public boolean reconnects(CloseStatus status) {
        return when.test(status);
    }

    /**
     * The default rule (see the table in the class description): whether a connection that ended with
     * {@code status} is worth trying again.
     */
    public static boolean isTransient(CloseStatus status) {
        Objects.requireNonNull(status, "status");
        Throwable cause = status.cause();
        if (status.code() == CloseCodes.ABNORMAL_CLOSURE || status.code() == CloseCodes.TLS_HANDSHAKE) {
            return cause == null || isTransientFailure(cause);
        }
        return switch (status.code()) {
            case CloseCodes.GOING_AWAY, CloseCodes.INTERNAL_ERROR, CloseCodes.SERVICE_RESTART,
                 CloseCodes.TRY_AGAIN_LATER, CloseCodes.BAD_GATEWAY -> true;
            default -> false;
        };
    }

    /**
     * Whether the server asked the client to come back later: a close with 1013, or a handshake refused
     * with 503 (service unavailable) or 429 (too many requests). The next delay is then
     * {@link Backoff#slowDownDelay}.
     */
    public static boolean isSlowDown(CloseStatus status) {
        if (status.code() == CloseCodes.TRY_AGAIN_LATER) {
            return true;
        }
        int http = status.cause() instanceof HandshakeException refused ? refused.status() : 0;
        return http == 503 || http == 429;
    }

    private static boolean isTransientFailure(Throwable cause) {
        if (cause instanceof HandshakeException refused) {
            int http = refused.status();
            // status 0 with an I/O cause: the connection ended before any answer
            return http >= 500 && http <= 599 || http == 408 || http == 429
                    || (http == 0 && refused.getCause() instanceof java.io.IOException);
        }
        if (cause instanceof ProxyException proxy) {
            return switch (proxy.reason()) {
                case AUTHENTICATION_FAILED, MALFORMED -> false;
                case REFUSED -> proxy.status() >= 500;
                case UNREACHABLE, CLOSED, TIMED_OUT -> true;
            };
        }
        if (cause instanceof javax.net.ssl.SSLHandshakeException tls) {
            // a certificate or protocol mismatch will not heal; a connection lost during the handshake may
            return tls.getCause() instanceof java.io.IOException;
        }
        return cause instanceof java.io.IOException || cause instanceof java.util.concurrent.TimeoutException;
    }
}
