package ws.protocol.driver;

import ws.protocol.api.ConnectionOptions;

/**
 * The keepalive and idle deadlines of one open connection, as decisions on the times it is told:
 * no clock of its own (the driver asks {@link #due} when its one timer fires, and arms it again for
 * {@link Due#waitNanos}). Keepalive: a ping after {@code pingInterval} without input; the peer is dead
 * when nothing at all arrives within {@code pongTimeout} of it. Idle: no message either way for
 * {@code idleTimeout}.
 *
 * <p>It is also that timer's action ({@link #run}: its connection's tick), so that arming the timer
 * makes no object of its own: an idle connection keeps an armed timer, and idle connections are many.
 */
final class Liveness implements Runnable {

    /** What is due. */
    enum Kind {
        /** Nothing yet: wait. */
        WAIT,
        /** Send a keepalive ping now, then wait. */
        PING,
        /** Nothing arrived within the pong timeout of the ping: the peer is dead. */
        DEAD,
        /** No message passed for the idle timeout: close with 1001. */
        IDLE
    }

    /**
     * A decision.
     *
     * @param kind      what to do now
     * @param waitNanos for {@code WAIT} and {@code PING}: when to ask again
     */
    record Due(Kind kind, long waitNanos) {
    }

    /** The deadlines, read when asked rather than copied: one object per connection, and connections are many. */
    private final ConnectionOptions options;
    /** Whose timer this is the action of ({@link #run}); null when only its decisions are used (tests). */
    private final ConnectionDriver owner;
    /** When bytes were last read: also the time of the messages of the read being dispatched. */
    private volatile long lastRead;
    private volatile long lastMessage;
    private volatile long pingSent;
    /** A keepalive ping was sent and nothing was read since. */
    private volatile boolean pingPending;

    Liveness(ConnectionDriver owner, ConnectionOptions options, long now) {
        this.owner = owner;
        this.options = options;
        this.lastRead = now;
        this.lastMessage = now;
    }

    /** The connection's timer fired: its driver decides what is due ({@link #due}) and arms it again. */
    @Override
    public void run() {
        owner.timerTick();
    }

    /** Whether any deadline applies (a keepalive interval or an idle timeout). */
    boolean enabled() {
        return options.idleTimeout().isPositive() || options.pingInterval().isPositive();
    }

    /** Bytes arrived at {@code now}. */
    void read(long now) {
        lastRead = now;
    }

    /** When bytes last arrived ({@link #read}): the time of the messages they carry. */
    long lastRead() {
        return lastRead;
    }

    /** Whether message times matter (an idle timeout is set): else {@link #message} need not be called. */
    boolean tracksMessages() {
        return options.idleTimeout().isPositive();
    }

    /** A message passed (either way) at {@code now}. */
    void message(long now) {
        lastMessage = now;
    }

    /** The connection opened at {@code now}: every deadline counts from here. */
    void opened(long now) {
        lastRead = now;
        lastMessage = now;
    }


    /** What is due at {@code now}; a {@code PING} counts as sent at {@code now}. */
    Due due(long now) {
        long idle = options.idleTimeout().toNanos();
        long interval = options.pingInterval().toNanos();
        long pongTimeout = options.pongTimeout().toNanos();
        long next = Long.MAX_VALUE;
        if (idle > 0) {
            long quiet = now - lastMessage;
            if (quiet >= idle) {
                return new Due(Kind.IDLE, 0);
            }
            next = idle - quiet;
        }
        if (interval <= 0) {
            return new Due(Kind.WAIT, next);
        }
        if (pingPending && lastRead - pingSent >= 0) {
            pingPending = false; // something arrived since the ping: the peer is alive
        }
        // while a ping is unanswered, ask again at the pong deadline or within one interval, whichever is
        // first: an answer that comes meanwhile makes the next ping due one interval after it, even when
        // the pong timeout is the longer of the two
        if (pingPending) {
            long waited = now - pingSent;
            if (waited >= pongTimeout) {
                return new Due(Kind.DEAD, 0);
            }
            return new Due(Kind.WAIT, Math.min(next, Math.min(pongTimeout - waited, interval)));
        }
        long quiet = now - lastRead;
        if (quiet >= interval) {
            pingSent = now;
            pingPending = true;
            return new Due(Kind.PING, Math.min(next, Math.min(pongTimeout, interval)));
        }
        return new Due(Kind.WAIT, Math.min(next, interval - quiet));
    }
}
