package ws.testkit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory connection: a bounded byte queue between one writer and one reader,
 * with the faults a test can inject (chunked delivery, split points, a delay per write, a stall, a
 * reset). A full pipe blocks its writer, as a full TCP window does.
 */
public final class Pipe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final byte[] ring;
    private int head;
    private int count;
    private long writtenTotal;
    private long readTotal;
    /** The writer sent FIN: the reader sees the end of input once the queue is drained. */
    private boolean finished;
    /** The writer's end is closed: a blocked or later write fails. */
    private boolean writerClosed;
    /** The reader's end is closed: a blocked or later read fails, writes fail ("broken pipe"). */
    private boolean readerClosed;
    private IOException reset;
    /** A reset of the whole connection, shared by both directions: set at once for both, before either wakes. */
    private final java.util.concurrent.atomic.AtomicReference<IOException> connectionReset;
    // faults
    private int maxChunk = Integer.MAX_VALUE;
    private final TreeSet<Long> splits = new TreeSet<>();
    private long delayNanos;
    private boolean stalled;
    /** Read by a loop connection (not a raw peer), which waits in {@link #read} when it has nothing to do. */
    private boolean loopReader;
    private int waitingReaders;
    /** Writers blocked in {@link #write} until there is room. */
    private int waitingWriters;

    /** A pipe holding at most {@code capacity} bytes in flight. */
    public Pipe(int capacity) {
        this(capacity, new java.util.concurrent.atomic.AtomicReference<>());
    }

    /**
     * A pipe holding at most {@code capacity} bytes in flight, which fails as reset as soon as
     * {@code connectionReset} holds an error (one reference shared by both directions of a connection).
     */
    public Pipe(int capacity, java.util.concurrent.atomic.AtomicReference<IOException> connectionReset) {
        this.connectionReset = connectionReset;
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " < 1");
        }
        ring = new byte[capacity];
    }

    /**
     * Reads some bytes into {@code dst}, waiting at most {@code timeoutNanos} ({@code < 0}: forever).
     *
     * @return the count read, 0 when the time ran out, -1 at the end of input
     * @throws IOException after a reset or when the reading end was closed
     */
    public int read(ByteBuffer dst, long timeoutNanos) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (true) {
                IOException failed = reset != null ? reset : connectionReset.get();
                if (failed != null) {
                    throw new IOException(failed.getMessage(), failed);
                }
                if (readerClosed) {
                    throw new IOException("the connection is closed (this end)");
                }
                if (count > 0 && !stalled) {
                    long limit = Math.min(Math.min(count, dst.remaining()), maxChunk);
                    Long split = splits.higher(readTotal);
                    if (split != null) {
                        limit = Math.min(limit, split - readTotal);
                    }
                    int n = (int) limit;
                    int first = Math.min(n, ring.length - head);
                    dst.put(ring, head, first);
                    if (n > first) {
                        dst.put(ring, 0, n - first);
                    }
                    head = (head + n) % ring.length;
                    count -= n;
                    readTotal += n;
                    writable.signalAll();
                    return n;
                }
                if (count == 0 && finished) {
                    return -1;
                }
                waitingReaders++;
                try {
                    if (timeoutNanos < 0) {
                        readable.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return 0;
                        }
                        readable.awaitNanos(left);
                    }
                } finally {
                    waitingReaders--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes every remaining byte of {@code src}, blocking while the pipe is full (or stalled and full).
     *
     * @throws IOException after a reset, FIN, or when either end was closed
     */
    public void write(ByteBuffer src) throws IOException {
        long delay;
        lock.lock();
        try {
            delay = delayNanos;
        } finally {
            lock.unlock();
        }
        if (delay > 0 && src.hasRemaining()) {
            try {
                TimeUnit.NANOSECONDS.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted during an injected delay");
            }
        }
        lock.lock();
        try {
            while (src.hasRemaining()) {
                checkWritable();
                if (ring.length - count == 0) {
                    waitingWriters++;
                    try {
                        writable.await();
                    } finally {
                        waitingWriters--;
                    }
                    continue;
                }
                copyIn(src);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes what fits now of {@code src} without waiting, as a non-blocking socket write does.
     *
     * @return the bytes written (0 when the pipe is full), or -1 while a delay fault is injected (the
     *         caller then writes through {@link #write}, which applies the delay)
     * @throws IOException after a reset, FIN, or when either end was closed
     */
    public int tryWrite(ByteBuffer src) throws IOException {
        lock.lock();
        try {
            if (delayNanos > 0) {
                return -1;
            }
            checkWritable();
            return copyIn(src);
        } finally {
            lock.unlock();
        }
    }

    /** Fails as a socket write would on a reset, closed or shut-down connection. Under the lock. */
    private void checkWritable() throws IOException {
        IOException failed = reset != null ? reset : connectionReset.get();
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
        if (writerClosed) {
            throw new IOException("the connection is closed (this end)");
        }
        if (finished) {
            throw new IOException("output was shut down (FIN sent)");
        }
        if (readerClosed) {
            throw new IOException("broken pipe: the peer closed the connection");
        }
    }

    /** Copies what fits of {@code src} into the ring and wakes the reader. Under the lock. */
    private int copyIn(ByteBuffer src) {
        int n = Math.min(ring.length - count, src.remaining());
        if (n == 0) {
            return 0;
        }
        int tail = (head + count) % ring.length;
        int first = Math.min(n, ring.length - tail);
        src.get(ring, tail, first);
        if (n > first) {
            src.get(ring, 0, n - first);
        }
        count += n;
        writtenTotal += n;
        readable.signalAll();
        return n;
    }

    /** Marks this pipe as read by a loop connection, whose idleness {@link #isSettled()} can see. */
    public void markLoopReader() {
        update(() -> loopReader = true);
    }

    /**
     * Whether nothing is moving here: a loop reader has read everything and waits for more (so it has
     * handled what it read), or the pipe is stalled, shut, or read by a raw peer (which reads only when
     * a test waits).
     */
    public boolean isSettled() {
        lock.lock();
        try {
            return !loopReader || stalled || readerClosed || reset != null || connectionReset.get() != null
                    || (count == 0 && (waitingReaders > 0 || finished));
        } finally {
            lock.unlock();
        }
    }

    /** How many writers are blocked in {@link #write}, waiting for room. */
    public int waitingWriters() {
        lock.lock();
        try {
            return waitingWriters;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes readable now without blocking (0 while stalled). */
    public int available() {
        lock.lock();
        try {
            return stalled ? 0 : count;
        } finally {
            lock.unlock();
        }
    }

    /** FIN: the reader sees the end of input after what was written; further writes fail. Idempotent. */
    public void finish() {
        update(() -> finished = true);
    }

    /** Closes the writing end: FIN, and a write blocked now fails. */
    public void closeWriter() {
        update(() -> {
            finished = true;
            writerClosed = true;
        });
    }

    /** Closes the reading end: a read blocked now fails, queued bytes are dropped, writes fail. */
    public void closeReader() {
        update(() -> {
            readerClosed = true;
            head = 0;
            count = 0;
        });
    }

    /** A reset: both ends fail at once with {@code error}, queued bytes are lost. */
    public void reset(IOException error) {
        connectionReset.compareAndSet(null, error);
        update(() -> {
            if (reset == null) {
                reset = error;
            }
            count = 0;
        });
    }

    /** Whether FIN was sent, the pipe was reset, or the reading end closed. */
    public boolean isShut() {
        lock.lock();
        try {
            return finished || reset != null || readerClosed || connectionReset.get() != null;
        } finally {
            lock.unlock();
        }
    }

    /** Each read returns at most {@code bytes} bytes (1: one byte at a time). */
    public void maxChunk(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("chunk size " + bytes + " < 1");
        }
        update(() -> maxChunk = bytes);
    }

    /** No read crosses these offsets of the byte stream (counted from the connection's first byte). */
    public void splitAt(long... offsets) {
        update(() -> {
            for (long offset : offsets) {
                if (offset <= 0) {
                    throw new IllegalArgumentException("split offset " + offset + " <= 0");
                }
                splits.add(offset);
            }
        });
    }

    /** Each write waits {@code delay} (wall time) before its bytes become readable. */
    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay " + delay + " < 0");
        }
        update(() -> delayNanos = delay.toNanos());
    }

    /** Stops or resumes delivery: while stalled the reader sees nothing and the writer fills the pipe. */
    public void stall(boolean value) {
        update(() -> stalled = value);
    }

    /** Removes chunking, split points, delay and stall. */
    public void clearFaults() {
        update(() -> {
            maxChunk = Integer.MAX_VALUE;
            splits.clear();
            delayNanos = 0;
            stalled = false;
        });
    }

    /** Bytes written into the pipe so far. */
    public long written() {
        lock.lock();
        try {
            return writtenTotal;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes read out of the pipe so far. */
    public long delivered() {
        lock.lock();
        try {
            return readTotal;
        } finally {
            lock.unlock();
        }
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
