package ws.transport.stream;

import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a server's connections run on, from the transport's factory: a new thread for each
 * connection, or (with {@link StreamSettings#reuseThreads()}, for platform threads) a thread that
 * ended its connection and waits for the next one, so that opening a connection does not pay for
 * creating and destroying a platform thread (hundreds of microseconds on a busy core). A reused
 * thread that waits longer than {@link #KEEP_ALIVE} ends; {@link #close} ends them all.
 *
 * <p><b>One end at a time.</b> A thread waits {@link #KEEP_ALIVE} plus {@link #END_SPACING} for
 * each thread already waiting when it starts to wait, so threads freed together end about
 * {@link #END_SPACING} apart, the oldest first, each woken once. Threads freed together (thousands,
 * after a mass disconnect) would otherwise all time out together, 30 s later: thousands of runnable
 * threads, each ending at a cost that grows with the threads alive (the JVM scans its thread list at
 * every end), and on a core shared with the live connections the kernel's fair scheduler gives those
 * a share among thousands, so they stop for a second or more (docs/performance.md, "The blocking
 * transport at a fixed load, round four"). The wait stays bounded by the threads waiting (10,000:
 * 40 s more), and a thread waiting for its turn still takes the next connection.
 *
 * <p><b>At most {@link #MAX_WAITING} wait.</b> A thread whose connection ends while that many wait
 * ends at once. A waiting platform thread is parked on a futex, and every futex operation of the
 * process walks the waiters that hash to its slot; Linux 6.16 and later give a process a private
 * hash sized from the CPU count (16 slots on two CPUs), so 10,000 waiting threads made each wake-up
 * about 23 us instead of 0.2, and every thread start, end, park and contended lock of the server paid
 * it: ending them 4 ms apart cost a quarter of a core for 40 s, and an echo on the same core lost
 * 20-40 % meanwhile (docs/performance.md, "Why those endings cost so much: waiting threads and the
 * kernel's futex hash"). Threads
 * blocked reading their connection wait in the kernel, not on a futex: only the waiting ones count.
 */
final class ConnectionThreads {
    /** How long a platform thread waits for its next connection before it ends. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    /** How much longer a thread waits for each thread already waiting (about 250 ends a second). */
    static final Duration END_SPACING = Duration.ofMillis(4);
    /**
     * How many threads may wait for a connection (see the class comment): enough for a burst of
     * reconnections to reuse threads, few enough that the futex slots stay short.
     */
    static final int MAX_WAITING = 128;
    private static final String WAITING = "ws-connection-waiting";

    private final StreamSettings settings;
    /** Reused threads; null when each connection gets a new thread. */
    private final ThreadPoolExecutor reused;

    ConnectionThreads(StreamSettings settings) {
        this(settings, KEEP_ALIVE, END_SPACING, MAX_WAITING);
    }

    /** With another keep-alive, spacing of ends and number of waiting threads (tests). */
    ConnectionThreads(StreamSettings settings, Duration keepAlive, Duration endSpacing, int maxWaiting) {
        this.settings = settings;
        this.reused = !settings.reuseThreads() ? null
                : new ThreadPoolExecutor(0, Integer.MAX_VALUE, keepAlive.toNanos(), TimeUnit.NANOSECONDS,
                        new HandOver(endSpacing.toNanos(), maxWaiting), settings.connectionThreads());
    }

    /** How many platform threads are alive in the pool (running a connection or waiting); 0 without reuse. */
    int pooled() {
        return reused == null ? 0 : reused.getPoolSize();
    }

    /**
     * The hand-over of connections to waiting threads (a {@link SynchronousQueue}: the most recently
     * parked thread first, so the oldest are the ones that time out), whose timed wait is longer by
     * {@code spacing} for each thread already waiting when it starts: threads freed together end one
     * after another, each woken once, at its end; with {@code maxWaiting} already waiting it does not
     * wait at all, and ends (see the class comment).
     */
    private static final class HandOver extends SynchronousQueue<Runnable> {
        private final long spacing;
        private final int maxWaiting;
        /** Threads in {@link #poll} now. */
        private final AtomicInteger waiting = new AtomicInteger();

        HandOver(long spacing, int maxWaiting) {
            this.spacing = spacing;
            this.maxWaiting = maxWaiting;
        }

        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            long ahead = waiting.getAndIncrement();
            try {
                if (ahead >= maxWaiting) {
                    return null; // as if its wait were out: the pool ends the thread
                }
                long extra = ahead > Long.MAX_VALUE / 2 / Math.max(1, spacing) ? Long.MAX_VALUE / 2 : ahead * spacing;
                return super.poll(unit.toNanos(timeout) + extra, TimeUnit.NANOSECONDS);
            } finally {
                waiting.decrementAndGet();
            }
        }
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
