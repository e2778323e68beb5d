package ws.transport.blocking.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One connection's outgoing bytes: a queue filled under the engine lock (so the wire order is the
 * engine's order) and drained by whoever holds the write lock, never under the engine lock.
 *
 * <p><b>Flush combining.</b> Whoever holds the write lock drains the queue; a thread that finds the
 * lock taken leaves its bytes queued and returns, and the holder, after releasing the lock, looks
 * again, so no bytes are stranded. The holder writes up to {@link #GATHER} buffers at a time in one
 * gathering write.
 *
 * <p><b>Hand-off.</b> Connections write through {@link #flushAsync()}: a short-lived virtual thread
 * does the writing, so neither the reader thread nor a sender (nor a broadcaster) ever blocks on
 * the network.
 *
 * <p>{@link #bufferedAmount()} is exact: bytes queued and not yet written. Futures of a send complete
 * when the last of its bytes were written, outside the write lock.
 */
final class Outbound {
    /** The most buffers gathered into one write (well under any IOV_MAX). */
    static final int GATHER = 64;

    private record Item(ByteBuffer[] buffers, long size, CompletableFuture<Void> future) {
    }

    private final Wire wire;
    private final String name;
    private final Consumer<IOException> onWriteError;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean flusherScheduled = new AtomicBoolean();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drained = drainLock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile IOException failure;
    /** The hand-off writer thread while it runs. */
    private volatile Thread writer;

    /**
     * @param wire         where the bytes go
     * @param name         the connection's name, for the hand-off thread
     * @param onWriteError told once when a write fails (the connection then aborts)
     */
    Outbound(Wire wire, String name, Consumer<IOException> onWriteError) {
        this.wire = wire;
        this.name = name;
        this.onWriteError = onWriteError;
    }

    /** Bytes queued and not yet written. */
    long bufferedAmount() {
        return buffered.get();
    }

    /** Whether nothing waits to be written. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The write failure, or {@code null} while writing works. */
    IOException failure() {
        return failure;
    }

    /**
     * Queues bytes; {@code future}, if any, completes once they are written (at once when there are
     * none). Called under the engine lock, so the queue keeps the engine's order.
     */
    void enqueue(List<ByteBuffer> buffers, CompletableFuture<Void> future) {
        IOException failed = failure;
        if (failed != null) {
            if (future != null) {
                future.completeExceptionally(failed);
            }
            return;
        }
        long size = 0;
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
        }
        if (size == 0) {
            if (future != null) {
                future.complete(null);
            }
            return;
        }
        buffered.addAndGet(size);
        queue.add(new Item(buffers.toArray(ByteBuffer[]::new), size, future));
        if (failure != null) {
            // failed between the check and the add: make sure this item does not wait forever
            failAll(failure);
        }
    }

    /**
     * Writes what is queued on this thread, unless another thread is already writing (then that
     * thread writes it). Blocks while the network does.
     */
    void flush() {
        while (!queue.isEmpty() && failure == null) {
            if (!writeLock.tryLock()) {
                return;
            }
            List<CompletableFuture<Void>> done = new ArrayList<>();
            try {
                drainLocked(done);
            } finally {
                writeLock.unlock();
            }
            // completing runs the senders' dependent actions, which may send again: not under the lock
            for (CompletableFuture<Void> future : done) {
                future.complete(null);
            }
            signalDrained();
        }
    }

    /**
     * Whether the calling thread is this queue's writer (completing send futures runs dependent
     * actions on it): such a thread must not wait for room, since only it can make room.
     */
    boolean isWriterThread() {
        return writeLock.isHeldByCurrentThread() || Thread.currentThread() == writer;
    }

    /** Has what is queued written by a virtual thread, so the caller never blocks on the network. */
    void flushAsync() {
        if (queue.isEmpty() || failure != null) {
            return;
        }
        if (writeLock.isLocked()) {
            // a writer is active and will look at the queue again after it unlocks
            return;
        }
        if (flusherScheduled.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name + "-flush").start(() -> {
                writer = Thread.currentThread();
                try {
                    flush();
                } finally {
                    writer = null;
                    flusherScheduled.set(false);
                }
                if (!queue.isEmpty()) {
                    flushAsync();
                }
            });
        }
    }

    private void drainLocked(List<CompletableFuture<Void>> done) {
        ByteBuffer[] gather = new ByteBuffer[GATHER];
        List<Item> batch = new ArrayList<>(8);
        while (true) {
            batch.clear();
            int count = 0;
            long bytes = 0;
            Item item;
            while (count < GATHER && (item = queue.peek()) != null) {
                if (count > 0 && count + item.buffers.length > GATHER) {
                    break;
                }
                queue.poll();
                batch.add(item);
                if (item.buffers.length > GATHER) {
                    // a message in more buffers than one write takes: write it alone, in slices
                    count = -1;
                    break;
                }
                System.arraycopy(item.buffers, 0, gather, count, item.buffers.length);
                count += item.buffers.length;
                bytes += item.size;
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                if (count < 0) {
                    Item big = batch.get(0);
                    for (int i = 0; i < big.buffers.length; i += GATHER) {
                        wire.write(big.buffers, i, Math.min(GATHER, big.buffers.length - i));
                    }
                    bytes = big.size;
                } else {
                    wire.write(gather, 0, count);
                }
            } catch (IOException | RuntimeException e) {
                IOException error = e instanceof IOException io ? io : new IOException("write failed: " + e, e);
                for (Item failed : batch) {
                    buffered.addAndGet(-failed.size);
                    if (failed.future != null) {
                        failed.future.completeExceptionally(error);
                    }
                }
                fail(error);
                return;
            } finally {
                java.util.Arrays.fill(gather, null);
            }
            buffered.addAndGet(-bytes);
            for (Item written : batch) {
                if (written.future != null) {
                    done.add(written.future);
                }
            }
        }
    }

    /** Marks the output as failed: queued and later sends fail with {@code error}. */
    void fail(IOException error) {
        boolean first = failure == null;
        if (first) {
            failure = error;
        }
        failAll(failure);
        signalDrained();
        if (first) {
            onWriteError.accept(error);
        }
    }

    private void failAll(IOException error) {
        Item item;
        while ((item = queue.poll()) != null) {
            buffered.addAndGet(-item.size);
            if (item.future != null) {
                item.future.completeExceptionally(error);
            }
        }
    }

    /** The connection is over: fails what is left, without telling the write-error callback. */
    void discard(IOException reason) {
        if (failure == null) {
            failure = reason;
        }
        failAll(failure);
        signalDrained();
    }

    /**
     * Waits until {@code size} more bytes fit under {@code highWaterMark} (or nothing is queued, so a
     * message larger than the mark can still go), the output fails, or the deadline passes.
     *
     * @return whether there is room now
     */
    boolean awaitRoom(long size, long highWaterMark, long deadlineNanos) throws InterruptedException {
        waiters.incrementAndGet();
        drainLock.lock();
        try {
            while (true) {
                long now = buffered.get();
                if (now == 0 || now + size <= highWaterMark) {
                    return true;
                }
                if (failure != null) {
                    return false;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                drained.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } finally {
            drainLock.unlock();
            waiters.decrementAndGet();
        }
    }

    /**
     * Waits until everything queued was written or the output failed, up to the deadline.
     *
     * @return whether the queue is empty
     */
    boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        waiters.incrementAndGet();
        drainLock.lock();
        try {
            while (buffered.get() > 0 && failure == null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                drained.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return buffered.get() == 0;
        } finally {
            drainLock.unlock();
            waiters.decrementAndGet();
        }
    }

    private void signalDrained() {
        if (waiters.get() > 0) {
            drainLock.lock();
            try {
                drained.signalAll();
            } finally {
                drainLock.unlock();
            }
        }
    }
}
