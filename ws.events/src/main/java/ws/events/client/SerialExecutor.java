package ws.events.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on threads of another executor: the client's event
 * loop. Everything that changes a client's state, and every user callback, runs here, so the state
 * needs no lock and callbacks never overlap.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private final Executor threads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Thread current;

    SerialExecutor(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            threads.execute(this::drain);
        }
    }

    /** Whether the calling thread is running one of the tasks now. */
    boolean inLoop() {
        return current == Thread.currentThread();
    }

    private void drain() {
        current = Thread.currentThread();
        try {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("event client task failed", e);
                }
            }
        } finally {
            current = null;
            draining.set(false);
            if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
                threads.execute(this::drain);
            }
        }
    }
}
