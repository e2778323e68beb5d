package ws.transport.eventloop.internal;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import ws.protocol.driver.Scheduler;

/**
 * The loops of one server or one client, and the clock and timers of their connections: a timer runs
 * on the loop of the thread that scheduled it (a connection's own loop, for every timer the driver arms
 * while reading), else on a loop chosen by its owner's name.
 */
public final class LoopGroup implements Scheduler {
    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    /** The hand-off writers of the connections: a virtual thread per burst that the network holds up. */
    private final Executor writers;

    /**
     * Starts {@code count} loops named {@code name-0}, {@code name-1}, ...; a server's are not daemons
     * (a running server keeps the JVM alive), a client's are.
     */
    public LoopGroup(String name, int count, boolean daemon, int readBufferSize) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("loops " + count + " < 1");
        }
        loops = new Loop[count];
        try {
            for (int i = 0; i < count; i++) {
                loops[i] = new Loop(name + "-" + i, daemon, readBufferSize);
            }
        } catch (IOException e) {
            stop();
            throw e;
        }
        var virtual = Thread.ofVirtual().name(name + "-writer-", 0).factory();
        writers = task -> virtual.newThread(task).start();
        for (Loop loop : loops) {
            loop.start();
        }
    }

    /** The loop for the next new connection, round robin. */
    public Loop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /** The first loop (a server's acceptor runs on it). */
    public Loop first() {
        return loops[0];
    }

    /** The hand-off writers' executor. */
    public Executor writers() {
        return writers;
    }

    /** The number of loop threads. */
    public int size() {
        return loops.length;
    }

    /** Read buffers lent to connections right now, over every loop. */
    public int buffersLent() {
        int lent = 0;
        for (Loop loop : loops) {
            lent += loop.buffersLent();
        }
        return lent;
    }

    /** Channels registered with the loops right now. */
    public int channels() {
        int count = 0;
        for (Loop loop : loops) {
            count += loop.channels();
        }
        return count;
    }

    /** Whether the calling thread is one of these loops. */
    public boolean inLoop() {
        return current() != null;
    }

    private Loop current() {
        for (Loop loop : loops) {
            if (loop.inLoop()) {
                return loop;
            }
        }
        return null;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
        Loop loop = current();
        if (loop == null) {
            loop = loops[Math.floorMod(owner.hashCode(), loops.length)];
        }
        return loop.schedule(delayNanos, action);
    }

    /** Stops every loop (after what each has queued) and waits for their threads, unless called on one. */
    public void stop() {
        for (Loop loop : loops) {
            if (loop != null) {
                loop.stop();
            }
        }
        for (Loop loop : loops) {
            if (loop != null) {
                try {
                    loop.awaitStopped(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
