package ws.protocol.driver;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where a connection's reading thread waits, inside a listener callback, for the application: a
 * stream's buffer to have room, a {@link java.util.concurrent.Flow} subscriber's demand. While it waits
 * the transport reads nothing more from the network, so a slow consumer holds the peer back (TCP flow
 * control) instead of growing memory. One per connection ({@link ConnectionDriver#readPause()}).
 *
 * <p>The connection ending releases it for good (an abort, a timeout, the application's own close, a
 * failed callback): every wait returns {@code false} from then on, so no reader waits on an
 * application that will never read again.
 */
public final class ReadPause {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean released;
    private long pauses;
    private boolean waiting;

    ReadPause() {
    }

    /**
     * Waits until {@code ready} holds (checked now, and again at each {@link #signal()}), or until the
     * connection ends.
     *
     * @return {@code true} when ready, {@code false} when the connection is ending (stop waiting)
     */
    public boolean await(BooleanSupplier ready) {
        lock.lock();
        try {
            boolean counted = false;
            while (!released) {
                if (ready.getAsBoolean()) {
                    return true;
                }
                if (!counted) {
                    counted = true;
                    pauses++;
                }
                waiting = true;
                try {
                    changed.awaitUninterruptibly();
                } finally {
                    waiting = false;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The application made room (read, requested): the waiting reader checks again. Any thread. */
    public void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the reader waits now: the application, not the peer, holds the connection's input back,
     * so the keepalive and idle deadlines do not count this time against the peer.
     */
    public boolean isWaiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** How many times the reader had to wait: how often the application held the network back. */
    public long pauses() {
        lock.lock();
        try {
            return pauses;
        } finally {
            lock.unlock();
        }
    }

    /** The connection ends: wakes the reader and makes every wait return {@code false}. */
    void release() {
        lock.lock();
        try {
            released = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
