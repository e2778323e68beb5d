package ws.transport.stream;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads a server's connections run on, from the transport's factory: a new thread for each
 * connection, or (with {@link StreamSettings#reuseThreads()}, for platform threads) a thread that
 * ended its connection and waits for the next one, so that opening a connection does not pay for
 * creating and destroying a platform thread (hundreds of microseconds on a busy core). A reused
 * thread that waits longer than {@link #KEEP_ALIVE} ends; {@link #close} ends them all.
 */
final class ConnectionThreads {
    /** How long a platform thread waits for its next connection before it ends. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    private static final String WAITING = "ws-connection-waiting";

    private final StreamSettings settings;
    /** Reused threads; null when each connection gets a new thread. */
    private final ThreadPoolExecutor reused;

    ConnectionThreads(StreamSettings settings) {
        this.settings = settings;
        this.reused = !settings.reuseThreads() ? null
                : new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS,
                        new SynchronousQueue<>(), settings.connectionThreads());
    }

    /**
     * Runs {@code connection} on a thread named {@code name}: a waiting thread if there is one, else a
     * new one.
     *
     * @throws RuntimeException when no thread can be started (or after {@link #close})
     */
    void start(String name, Runnable connection) {
        if (reused == null) {
            Thread thread = settings.connectionThreads().newThread(connection);
            thread.setName(name);
            thread.start();
            return;
        }
        reused.execute(() -> {
            Thread thread = Thread.currentThread();
            thread.setName(name);
            try {
                connection.run();
            } finally {
                thread.setName(WAITING);
            }
        });
    }

    /** Ends the waiting threads (each connection's own run has ended), waiting up to {@code timeout}. */
    void close(Duration timeout) throws InterruptedException {
        if (reused != null) {
            reused.shutdown();
            reused.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
