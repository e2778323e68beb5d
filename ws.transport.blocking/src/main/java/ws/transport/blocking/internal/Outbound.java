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
 * gathering write. Bytes a write did not take stay at the head ({@link #carry}) for the next writer.
 *
 * <p><b>Who writes.</b> Two ways, one rule: <em>a reader never blocks on the network</em>.
 * <ul>
 * <li>{@link #flushInline()}: the reader thread, after it has dispatched the events of one read
 *     (so one write per read's worth of sends), writes on its own thread, but only through
 *     {@link Wire#tryWrite}, which takes what the socket accepts now and never waits. Whatever the
 *     socket does not take, or any bytes at all when the write lock is held by another writer or the
 *     wire has no non-blocking write, is left to the hand-off writer.</li>
 * <li>{@link #flushAsync()}: a short-lived virtual thread takes the write lock and writes with
 *     blocking writes until the queue is empty. Senders on other threads (and broadcasts) always use
 *     it, so they never block on the network either.</li>
 * </ul>
 *
 * <p><b>Why two peers that both write without reading cannot deadlock.</b> A deadlock needs each
 * side's reader to be stopped until the other side reads. Our reader stops only in {@code read}, on
 * the engine lock (held only while the engine runs, never across I/O), and, under
 * {@code BackpressurePolicy.WAIT}, while a send of its own waits for room (bounded by the close
 * timeout). It never waits for the write lock ({@code tryLock}) and never waits for the socket to take
 * bytes ({@link Wire#tryWrite} is non-blocking; the rest goes to the hand-off writer, whose blocking
 * write stalls only that writer). So while the peer's writer is blocked on a full socket, our reader
 * keeps reading, which is exactly what unblocks it; the same holds on the other side. The test
 * {@code FloodTest} has two of our endpoints echo large messages at each other over small socket
 * buffers on both transports.
 *
 * <p>{@link #bufferedAmount()} is exact: bytes queued and not yet written. Futures of a send complete
 * when the last of its bytes were written, outside the write lock.
 */
final class Outbound {
    /** The most buffers gathered into one write (well under any IOV_MAX). */
    static final int GATHER = 64;
    /** How long discarding waits for a writer whose write the closed wire has just failed. */
    private static final long WRITER_SETTLE_SECONDS = 2;

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
     * Items taken off the queue whose bytes a write did not (all) take, in order, ahead of the queue.
     * Guarded by {@link #writeLock}; {@link #carried} mirrors its size for lock-free emptiness checks.
     */
    private final java.util.ArrayDeque<Item> carry = new java.util.ArrayDeque<>(2);
    private volatile int carried;
    /** The wire said it cannot write without blocking on the reader's thread: always hand off. */
    private volatile boolean noInline;

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
        return carried == 0 && queue.isEmpty();
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
        while (!isEmpty() && failure == null) {
            if (!writeLock.tryLock()) {
                return;
            }
            List<CompletableFuture<Void>> done = new ArrayList<>();
            try {
                drainLocked(done, false);
            } finally {
                writeLock.unlock();
            }
            complete(done);
        }
    }

    /**
     * Writes what the socket takes now on the calling thread, without ever waiting: not for the
     * network ({@link Wire#tryWrite}), not for another writer (the write lock is only tried). What is
     * left is handed to the hand-off writer ({@link #flushAsync()}). For the reader thread, after it
     * dispatched one read's events.
     */
    void flushInline() {
        if (isEmpty() || failure != null) {
            return;
        }
        if (noInline) {
            flushAsync();
            return;
        }
        if (!writeLock.tryLock()) {
            return; // the active writer looks at the queue again after it unlocks
        }
        List<CompletableFuture<Void>> done = new ArrayList<>(4);
        try {
            drainLocked(done, true);
        } finally {
            writeLock.unlock();
        }
        complete(done);
        flushAsync();
    }

    private void complete(List<CompletableFuture<Void>> done) {
        // completing runs the senders' dependent actions, which may send again: not under the lock
        for (CompletableFuture<Void> future : done) {
            future.complete(null);
        }
        signalDrained();
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
        if (isEmpty() || failure != null) {
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
                if (!isEmpty()) {
                    flushAsync();
                }
            });
        }
    }

    /**
     * Writes the carried items, then the queue, in gathering writes. Blocking: until everything is
     * written. Non-blocking: until a write takes less than it was given (the rest is carried), or the
     * wire cannot write without blocking at all.
     */
    private void drainLocked(List<CompletableFuture<Void>> done, boolean nonBlocking) {
        ByteBuffer[] gather = new ByteBuffer[GATHER];
        List<Item> batch = new ArrayList<>(8);
        while (true) {
            batch.clear();
            int count = 0;
            boolean alone = false;
            while (count < GATHER) {
                Item item = carry.peekFirst();
                boolean fromCarry = item != null;
                if (!fromCarry) {
                    item = queue.peek();
                    if (item == null) {
                        break;
                    }
                }
                if (count > 0 && count + item.buffers.length > GATHER) {
                    break;
                }
                if (item.buffers.length > GATHER) {
                    if (count > 0) {
                        break;
                    }
                    if (nonBlocking) {
                        return; // a message in more buffers than one write takes: the hand-off writer's
                    }
                    alone = true;
                }
                if (fromCarry) {
                    carry.pollFirst();
                    carried = carry.size();
                } else {
                    queue.poll();
                }
                batch.add(item);
                if (alone) {
                    break;
                }
                System.arraycopy(item.buffers, 0, gather, count, item.buffers.length);
                count += item.buffers.length;
            }
            if (batch.isEmpty()) {
                return;
            }
            long before = 0;
            for (Item item : batch) {
                before += remaining(item);
            }
            long written;
            try {
                if (alone) {
                    Item big = batch.get(0);
                    for (int i = 0; i < big.buffers.length; i += GATHER) {
                        wire.write(big.buffers, i, Math.min(GATHER, big.buffers.length - i));
                    }
                    written = before;
                } else if (nonBlocking) {
                    written = wire.tryWrite(gather, 0, count);
                    if (written < 0) {
                        noInline = true; // this wire cannot write without blocking (here): hand off from now on
                        written = 0;
                    }
                } else {
                    wire.write(gather, 0, count);
                    written = before;
                }
            } catch (IOException | RuntimeException e) {
                IOException error = e instanceof IOException io ? io : new IOException("write failed: " + e, e);
                // everything the batch held before this write: a failed write may have moved the
                // buffers' positions for bytes it never reported written
                buffered.addAndGet(-before);
                for (Item failed : batch) {
                    if (failed.future != null) {
                        failed.future.completeExceptionally(error);
                    }
                }
                fail(error);
                return;
            } finally {
                java.util.Arrays.fill(gather, null);
            }
            buffered.addAndGet(-written);
            if (written < before) {
                // the socket took part of it: the items written whole are done, the rest goes first
                // next time, in order
                int first = 0;
                while (first < batch.size() && remaining(batch.get(first)) == 0) {
                    Item item = batch.get(first++);
                    if (item.future != null) {
                        done.add(item.future);
                    }
                }
                for (int i = batch.size() - 1; i >= first; i--) {
                    carry.addFirst(batch.get(i));
                }
                carried = carry.size();
                return;
            }
            for (Item item : batch) {
                if (item.future != null) {
                    done.add(item.future);
                }
            }
        }
    }

    private static long remaining(Item item) {
        long left = 0;
        for (ByteBuffer buffer : item.buffers) {
            left += buffer.remaining();
        }
        return left;
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
        if (writeLock.tryLock()) {
            try {
                Item item;
                while ((item = carry.pollFirst()) != null) {
                    buffered.addAndGet(-remaining(item));
                    if (item.future != null) {
                        item.future.completeExceptionally(error);
                    }
                }
                carried = 0;
            } finally {
                writeLock.unlock();
            }
        }
        // else: the writer holding the lock fails what it carries when its write fails, or a later
        // writer does (failure is set, so drains stop), and discard() waits for it
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
        awaitWriterDone();
        failAll(failure); // what a writer carried when it stopped
        signalDrained();
    }

    /**
     * Waits, bounded, for a writer that took a batch off the queue to settle it. The wire is closed
     * before the output is discarded, so its write fails at once; waiting here means that when the
     * connection reports its close, {@link #bufferedAmount()} is 0 and every send future is done.
     */
    private void awaitWriterDone() {
        try {
            if (writeLock.tryLock(WRITER_SETTLE_SECONDS, TimeUnit.SECONDS)) {
                writeLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
