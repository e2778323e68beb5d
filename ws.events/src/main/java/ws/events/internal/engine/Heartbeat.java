package ws.events.internal.engine;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's heartbeat (engine.io-protocol v4, "Heartbeat"): every {@code interval} the server
 * pings; a pong within {@code timeout} schedules the next ping, none ends the session. Thread-safe.
 */
final class Heartbeat {
    private final EngineTimers scheduler;
    private final Duration interval;
    private final Duration timeout;
    private final Runnable sendPing;
    private final Runnable onTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private EngineTimers.Timer pingTimer;
    private EngineTimers.Timer pongDeadline;
    private boolean stopped;

    /**
     * @param sendPing  sends a ping packet
     * @param onTimeout ends the session ("ping timeout")
     */
    Heartbeat(EngineTimers scheduler, Duration interval, Duration timeout, Runnable sendPing, Runnable onTimeout) {
        this.scheduler = scheduler;
        this.interval = interval;
        this.timeout = timeout;
        this.sendPing = sendPing;
        this.onTimeout = onTimeout;
    }

    /** Schedules the first ping. */
    void start() {
        lock.lock();
        try {
            schedulePing();
        } finally {
            lock.unlock();
        }
    }

    /** A pong arrived: the deadline is lifted and the next ping scheduled (a pong nobody asked for counts for nothing). */
    void pongReceived() {
        lock.lock();
        try {
            if (pongDeadline != null) {
                pongDeadline.cancel();
                pongDeadline = null;
                schedulePing();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels every timer; nothing is scheduled again. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            cancel(pingTimer);
            cancel(pongDeadline);
        } finally {
            lock.unlock();
        }
    }

    private void schedulePing() {
        if (stopped) {
            return;
        }
        cancel(pingTimer);
        pingTimer = scheduler.schedule(interval, this::ping);
    }

    private void ping() {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            pongDeadline = scheduler.schedule(timeout, onTimeout);
        } finally {
            lock.unlock();
        }
        sendPing.run();
    }

    private static void cancel(EngineTimers.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
