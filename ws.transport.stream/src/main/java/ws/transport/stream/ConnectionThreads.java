package ws.transport.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads a server's connections run on, from the transport's factory: a new thread for each
 * connection, or (with {@link StreamSettings#reuseThreads()}, for platform threads) a thread that
 * ended its connection and waits for the next one, so that opening a connection does not pay for
 * creating and destroying a platform thread (hundreds of microseconds on a busy core).
 *
 * <p>At most {@link #MAX_WAITING} threads wait; a thread whose connection ends when that many already
 * wait ends too, and a waiting thread ends after {@link #KEEP_ALIVE}. The bound matters beyond memory:
 * every waiting thread is parked on a futex, and on Linux 6.16 and later a process's futexes share a
 * private hash table sized by its number of CPUs (16 buckets on a one- or two-core server), so
 * thousands of parked threads make every wake-up in the process walk a chain of hundreds: with 10,000
 * threads waiting after 10,000 connections closed, {@code futex_wake} took 30 % of the server's CPU
 * while connections opened, and a small echo cost 3.0-4.9 us of server CPU per message against 1.6 us
 * with the bound. 256 waiting threads make chains of about 16, and still spare a burst of reconnections
 * the cost of starting that many threads. The threads running connections are blocked in socket
 * reads, not on futexes. The most recently parked thread is reused first, so under a steady churn the
 * same few threads serve and the others time out. {@link #close} ends the waiting threads and waits
 * for every thread to end.
 */
final class ConnectionThreads {
    /** How long a platform thread waits for its next connection before it ends. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    /** How many threads may wait for a next connection at once. */
    static final int MAX_WAITING = 256;
    private static final String WAITING = "ws-connection-waiting";

    private final StreamSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    /** Workers waiting for a connection, the most recently parked last. Guarded by lock. */
    private final ArrayDeque<Worker> waiting = new ArrayDeque<>();
    /** Every worker whose thread has not ended. Guarded by lock. */
    private final Set<Worker> workers = new HashSet<>();
    /** The thread that last began to end, or null (see {@code Worker#awaitPreviousEnd}). */
    private final java.util.concurrent.atomic.AtomicReference<Thread> lastToEnd =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Set under lock; read by waiting workers without it. */
    private volatile boolean closed;

    ConnectionThreads(StreamSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs {@code connection} on a thread named {@code name}: a waiting thread if there is one, else a
     * new one.
     *
     * @throws RuntimeException when no thread can be started (or after {@link #close})
     */
    void start(String name, Runnable connection) {
        if (!settings.reuseThreads()) {
            Thread thread = settings.connectionThreads().newThread(connection);
            thread.setName(name);
            thread.start();
            return;
        }
        Worker worker;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the connection threads are closed");
            }
            worker = waiting.pollLast();
            if (worker != null) {
                worker.assign(name, connection); // under the lock: the worker's timeout sees it
            }
        } finally {
            lock.unlock();
        }
        if (worker != null) {
            worker.wake();
            return;
        }
        worker = new Worker(name, connection);
        Thread thread = settings.connectionThreads().newThread(worker);
        thread.setName(name);
        worker.thread = thread;
        lock.lock();
        try {
            workers.add(worker);
        } finally {
            lock.unlock();
        }
        try {
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            lock.lock();
            try {
                workers.remove(worker);
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /**
     * Ends the waiting threads and waits up to {@code timeout} for every thread to end (each
     * connection's own run has ended before this is called).
     */
    void close(Duration timeout) throws InterruptedException {
        if (!settings.reuseThreads()) {
            return;
        }
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Worker worker : waiting) {
                worker.wake();
            }
            waiting.clear();
            for (Worker worker : workers) {
                threads.add(worker.thread);
            }
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return;
            }
        }
    }

    /** How many threads wait for a next connection now. */
    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling worker may wait for another connection; if so it is now among the waiting. */
    private boolean park(Worker worker) {
        lock.lock();
        try {
            if (closed || waiting.size() >= MAX_WAITING) {
                return false;
            }
            waiting.addLast(worker);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A waiting worker's keep-alive ran out: its next connection, if one was assigned meanwhile, else null (it ends). */
    private Runnable expire(Worker worker) {
        lock.lock();
        try {
            Runnable next = worker.take();
            if (next == null) {
                waiting.remove(worker);
            }
            return next;
        } finally {
            lock.unlock();
        }
    }

    private void workerEnded(Worker worker) {
        lock.lock();
        try {
            workers.remove(worker);
        } finally {
            lock.unlock();
        }
    }

    /** One reusable thread's loop: its connection, then waiting for the next one. */
    private final class Worker implements Runnable {
        /** Set before the thread starts. */
        private volatile Thread thread;
        /** The next connection to run, or null; set under the pool's lock, taken by the worker. */
        private volatile Runnable next;
        private volatile String nextName;

        Worker(String name, Runnable first) {
            this.next = first;
            this.nextName = name;
        }

        void assign(String name, Runnable connection) {
            nextName = name;
            next = connection;
        }

        /** The assigned connection, cleared; null when none. */
        Runnable take() {
            Runnable connection = next;
            next = null;
            return connection;
        }

        void wake() {
            Thread t = thread;
            if (t != null) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }

        @Override
        public void run() {
            try {
                Runnable connection = take();
                while (connection != null) {
                    thread.setName(nextName);
                    try {
                        connection.run();
                    } finally {
                        thread.setName(WAITING);
                        Thread.interrupted(); // a connection's interrupt is not the next one's (nor would the thread park)
                    }
                    connection = park(this) ? await() : null;
                }
            } finally {
                awaitPreviousEnd();
                workerEnded(this);
            }
        }

        /**
         * Lets the threads that end one after the other: each waits, parked, for the one that ended
         * before it. A platform thread's end costs the JVM time in proportion to the threads alive
         * (10,000 here), under a lock; thousands ending at once after a mass disconnect, each spinning
         * for that lock on one core, held it at 2,000 runnable threads for minutes.
         */
        private void awaitPreviousEnd() {
            Thread previous = lastToEnd.getAndSet(thread);
            if (previous == null) {
                return;
            }
            boolean interrupted = false;
            while (true) {
                try {
                    previous.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                thread.interrupt();
            }
        }

        /** Waits for the next connection up to the keep-alive; null when none came (or on close). */
        private Runnable await() {
            long deadline = System.nanoTime() + KEEP_ALIVE.toNanos();
            while (true) {
                Runnable connection = next;
                if (connection != null) {
                    return take();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return expire(this);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(this, left);
            }
        }
    }
}
