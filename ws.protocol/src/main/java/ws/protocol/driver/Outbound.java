package ws.protocol.driver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import ws.protocol.engine.OutputHandler;
import ws.protocol.engine.Protocol;

/**
 * One connection's outgoing bytes, in two lanes filled under the engine lock (so each lane keeps the
 * engine's order) and written by one writer at a time, never under the engine lock.
 *
 * <p><b>Lanes.</b> Control frames (pings, pongs) go to {@link #urgent} and are written ahead of queued
 * data at the next frame boundary; everything else (handshake, data frames, the close frame, then the
 * end of output) to {@link #queue}, in order. Output is cut into items at the frame ends the engine
 * marks ({@link OutputHandler#data}), so a pong overtakes a large message between two of its
 * fragments rather than after all of it. An item once started is always finished before another,
 * and nothing overtakes the opening handshake's bytes (a ping sent in {@code onOpen} follows the 101).
 *
 * <p><b>One writer.</b> Whoever holds {@link #writeLock} drains both lanes; a thread that finds it taken
 * leaves its bytes queued, and the holder looks again after releasing it, so nothing is stranded.
 * The reading thread writes inline only what the sink takes without waiting ({@link #flushInline});
 * the rest, and every other thread's sends, go to the hand-off writer ({@link #flushAsync}), which runs
 * on the transport's executor and blocks on the network so that no reader or sender does. The end of
 * output is an item too: the writer that reaches it shuts the sink's output, after everything before.
 *
 * <p><b>Exact signals.</b> {@link #bufferedAmount()} is bytes queued and not yet written. Waits for room
 * ({@link #awaitRoom}) and for the end of output ({@link #awaitEnded}) are woken by the writer each
 * time bytes leave, the output fails or ends: no polling.
 */
final class Outbound {
    /** The most buffers gathered into one write (well under any IOV_MAX). */
    static final int GATHER = 64;
    /** Bytes from which an engine's output is cut into several items at marked frame ends. */
    static final int SPLIT = 64 * 1024;
    /** How long discarding waits for a writer whose write the closed sink has just failed. */
    private static final long WRITER_SETTLE_SECONDS = 2;
    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
    /**
     * Pong bytes queued and not yet taken by a writer from which a new pong is dropped: a peer that
     * floods pings and reads nothing would otherwise make every ping a queued pong, without bound
     * (RFC 6455 section 5.5.3 lets an endpoint leave pings unanswered while its pongs are not sent).
     */
    static final int MAX_QUEUED_PONG_BYTES = 16 * 1024;

    private static final class Item {
        final ByteBuffer[] buffers;
        final long size;
        /** Opening-handshake bytes: nothing overtakes them (a frame before the 101 response is not HTTP). */
        final boolean barrier;
        /** A control frame (the urgent lane's): control frames never overtake one another. */
        final boolean control;
        /** A pong frame: counted in {@link #queuedPongBytes} while in the urgent lane. */
        boolean pong;
        /**
         * Completed once the item is written. Set before the item is published to a lane and never after:
         * a writer may take, write and settle an item the moment it is in a lane.
         */
        CompletableFuture<Void> future;
        /**
         * More futures completed with {@link #future} (which is then set): the reader's sends of one read,
         * whose bytes went out in this item or before it. Filled from the start; a null ends it.
         */
        CompletableFuture<Void>[] more;
        /** The next written item whose future is to complete, in a chain made by the writer (no list per write). */
        Item nextDone;

        Item(ByteBuffer[] buffers, long size, boolean barrier, boolean control) {
            this.buffers = buffers;
            this.size = size;
            this.barrier = barrier;
            this.control = control;
        }

        boolean isEnd() {
            return buffers == NO_BUFFERS;
        }

        long remaining() {
            long left = 0;
            for (ByteBuffer buffer : buffers) {
                left += buffer.remaining();
            }
            return left;
        }

        /** Completes the item's futures: normally, or with {@code error}. */
        void settle(IOException error) {
            settle(future, more, error);
        }

        /** Completes {@code future} and the {@code more} after it: normally, or with {@code error}. */
        static void settle(CompletableFuture<Void> future, CompletableFuture<Void>[] more, IOException error) {
            settle(future, error);
            if (more != null) {
                for (CompletableFuture<Void> other : more) {
                    if (other == null) {
                        break;
                    }
                    settle(other, error);
                }
            }
        }

        private static void settle(CompletableFuture<Void> future, IOException error) {
            if (error == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(error);
            }
        }
    }

    private final Sink sink;
    private final Executor handoff;
    private final Consumer<IOException> onWriteError;
    private final ConcurrentLinkedQueue<Item> urgent = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong buffered = new AtomicLong();
    /** Bytes of the pongs in the urgent lane (added before they are published, taken off as a writer takes them). */
    private final AtomicLong queuedPongBytes = new AtomicLong();
    private final AtomicBoolean flusherScheduled = new AtomicBoolean();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition changed = signalLock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();
    /** Items taken off a lane whose bytes a write did not (all) take, in order. Guarded by {@link #writeLock}. */
    private final ArrayDeque<Item> carry = new ArrayDeque<>(2);
    private volatile int carried;
    private volatile IOException failure;
    private volatile boolean ended;
    /** The hand-off writer's thread while it runs. */
    private volatile Thread writer;
    /** The sink cannot write without blocking on the reading thread: always hand off. */
    private volatile boolean noInline;
    /** Told of every write's byte count (metrics). */
    private final ConnectionObserver observer;
    /** Bytes written so far. Written under {@link #writeLock}. */
    private volatile long written;
    /** The collector of one engine drain (engine lock held). */
    private final Collector collector = new Collector();
    /**
     * The buffers of one gathering write. Guarded by {@link #writeLock}, cleared after each write.
     * Starts small and grows (up to {@link #GATHER}) to what the connection's bursts need, then stays:
     * an idle connection keeps a few slots, a busy one allocates nothing per write.
     */
    private ByteBuffer[] gather = new ByteBuffer[4];
    /** The items of one gathering write (grows like {@link #gather}). Guarded by {@link #writeLock}. */
    private final ArrayList<Item> batch = new ArrayList<>(4);
    /** Written items with a future, chained through {@link Item#nextDone}. Guarded by {@link #writeLock}. */
    private Item doneHead;
    private Item doneTail;
    /**
     * Bytes the reader's sends left in the engine's output, to be taken in one item per read instead of
     * one per send ({@link #defer}); already counted in {@link #buffered}. Guarded by the engine lock.
     */
    private long deferredBytes;
    /** The futures of those sends: the first, then the rest in an array handed to the item that takes them. */
    private CompletableFuture<Void> deferredFirst;
    private CompletableFuture<Void>[] deferredMore;
    private int deferredMoreCount;
    /** How many futures the last read's sends had past the first: the next array's size. Engine lock. */
    private int deferredHint;
    /** Bytes ever taken into the lanes. Guarded by the engine lock. */
    private long collected;

    /**
     * @param sink         where the bytes go
     * @param handoff      runs the hand-off writer (a thread that may block on the network)
     * @param onWriteError told once when a write fails (the connection then aborts)
     * @param observer     told of every write's byte count
     */
    Outbound(Sink sink, Executor handoff, Consumer<IOException> onWriteError, ConnectionObserver observer) {
        this.sink = sink;
        this.handoff = handoff;
        this.onWriteError = onWriteError;
        this.observer = observer;
    }

    /** An outbound queue that reports its writes to nobody. */
    Outbound(Sink sink, Executor handoff, Consumer<IOException> onWriteError) {
        this(sink, handoff, onWriteError, ConnectionObserver.NONE);
    }

    /** Bytes written so far. */
    long bytesWritten() {
        return written;
    }

    long bufferedAmount() {
        return buffered.get();
    }

    /**
     * Whether every byte taken into the lanes was written (so no buffer an engine handed over is still
     * to be written or in a write: its memory may be reused). Under the engine lock.
     */
    boolean allWritten() {
        return written == collected && deferredBytes == 0;
    }

    boolean isEmpty() {
        return carried == 0 && urgent.isEmpty() && queue.isEmpty();
    }

    IOException failure() {
        return failure;
    }

    /**
     * Whether nothing is queued, carried or left unwritten, nobody waits, and the output neither failed
     * nor ended: the driver may drop this queue, so that an idle connection keeps none. The calling
     * thread may be the hand-off writer completing the futures of its last write. For the driver, under
     * the engine lock, so no bytes are queued meanwhile; a writer that took the last item still counts
     * its bytes in {@link #bufferedAmount()} until they are written.
     */
    boolean isIdle() {
        return isEmpty() && !writeLock.isLocked() && waiters.get() == 0 && failure == null && !ended
                && (!flusherScheduled.get() || writer == Thread.currentThread()) && buffered.get() == 0;
    }

    /** Whether the end of output was written (the sink's output shut). */
    boolean isEnded() {
        return ended;
    }

    // ------------------------------------------------------------------------------------------
    // Filling, under the engine lock

    /**
     * Takes the engine's output into the lanes; {@code future}, if any, completes once the bytes of
     * this call are written (at once when there are none), and so do those of the sends deferred
     * before. Called under the engine lock.
     */
    void collect(Protocol engine, CompletableFuture<Void> future, boolean opening) {
        if (future != null && deferredFirst != null) {
            addDeferred(future);
            future = null;
        }
        Collector c = collector;
        // the engine's own output only (the answers to what was read): its pongs may be dropped
        c.begin(opening, future == null && deferredFirst == null);
        engine.drainOutput(c);
        c.finish(future);
    }

    /**
     * A send whose bytes stay in the engine's output for the next {@link #collect} (the reading thread's,
     * while it dispatches one read's events: one item for all of them rather than one each). The engine's
     * pending output, {@code enginePending} bytes now, counts in {@link #bufferedAmount()} at once, so it
     * stays exact; {@code future} completes with the item that takes those bytes. Under the engine lock.
     */
    void defer(long enginePending, CompletableFuture<Void> future) {
        buffered.addAndGet(enginePending - deferredBytes);
        deferredBytes = enginePending;
        addDeferred(future);
    }

    /** Whether sends were deferred since the last collect. Under the engine lock. */
    boolean hasDeferred() {
        return deferredFirst != null;
    }

    @SuppressWarnings("unchecked")
    private void addDeferred(CompletableFuture<Void> future) {
        if (deferredFirst == null) {
            deferredFirst = future;
            return;
        }
        CompletableFuture<Void>[] more = deferredMore;
        if (more == null) {
            more = new CompletableFuture[Math.max(4, deferredHint)];
        } else if (deferredMoreCount == more.length) {
            more = Arrays.copyOf(more, 2 * more.length);
        }
        more[deferredMoreCount++] = future;
        deferredMore = more;
    }

    /** Whether a whole control frame (its first byte: FIN, RSV, opcode) is a pong. */
    private static boolean isPong(ByteBuffer frame) {
        return frame.hasRemaining() && (frame.get(frame.position()) & 0x0F) == 0x0A;
    }

    /** Queues one control frame in the urgent lane (for tests). */
    void enqueueControl(ByteBuffer frame, CompletableFuture<Void> future) {
        Collector c = collector;
        c.begin(false, future == null);
        c.control(frame);
        c.finish(future);
    }

    /**
     * Queues what is left of the opening handshake's answer (the first {@code count} of
     * {@code buffers}, some maybe written already by the reading thread), with the end of output after
     * it if {@code end}: nothing overtakes it. Under the engine lock, into a queue made for it.
     */
    void enqueueOpening(ByteBuffer[] buffers, int count, boolean end) {
        Collector c = collector;
        c.begin(true, false);
        for (int i = 0; i < count; i++) {
            c.data(buffers[i], false);
        }
        if (end) {
            c.endOfOutput();
        }
        c.finish(null);
    }

    /** Queues bytes in the data lane as one item (for tests and for bytes not from an engine). */
    void enqueue(List<ByteBuffer> buffers, CompletableFuture<Void> future) {
        Collector c = collector;
        c.begin(false, false);
        for (ByteBuffer buffer : buffers) {
            c.data(buffer, false);
        }
        c.finish(future);
    }

    /**
     * Cuts one drain into items: control frames alone, data at marked frame ends past {@link #SPLIT}.
     * The items are published to the lanes only when the drain is over, with the send's future already
     * on its last item: a writer running meanwhile on another thread may take an item as soon as it is
     * in a lane, and one it has written without a future is never completed.
     */
    private final class Collector implements OutputHandler {
        private final ArrayList<ByteBuffer> pending = new ArrayList<>(4);
        private long pendingSize;
        private final ArrayList<Item> controls = new ArrayList<>(2);
        private long pongBytes;
        private final ArrayList<Item> data = new ArrayList<>(2);
        private boolean end;
        private boolean opening;
        /**
         * Whether this drain is the engine's answers alone, with no send of the application's: only
         * then may a pong be dropped (the application's own pongs are queued like its other sends).
         */
        private boolean answersOnly;

        void begin(boolean handshake, boolean answers) {
            opening = handshake;
            answersOnly = answers;
            controls.clear();
            data.clear();
            end = false;
            pongBytes = 0;
        }

        @Override
        public void control(ByteBuffer frame) {
            int size = frame.remaining();
            boolean pong = isPong(frame);
            if (pong && answersOnly && queuedPongBytes.get() + pongBytes + size > MAX_QUEUED_PONG_BYTES) {
                return; // the peer does not read its pongs: this ping stays unanswered (and nothing is made for it)
            }
            Item item = new Item(new ByteBuffer[] {frame}, size, false, true);
            if (pong) {
                item.pong = true;
                pongBytes += size;
            }
            controls.add(item);
        }

        @Override
        public void data(ByteBuffer bytes, boolean frameEnd) {
            if (!bytes.hasRemaining()) {
                return;
            }
            pending.add(bytes);
            pendingSize += bytes.remaining();
            if (frameEnd && pendingSize >= SPLIT) {
                cut();
            }
        }

        @Override
        public void endOfOutput() {
            end = true;
        }

        private void cut() {
            if (!pending.isEmpty()) {
                ByteBuffer[] buffers = pending.size() == 1 ? new ByteBuffer[] {pending.getFirst()}
                        : pending.toArray(new ByteBuffer[pending.size()]);
                data.add(new Item(buffers, pendingSize, opening, false));
                pending.clear();
                pendingSize = 0;
            }
        }

        void finish(CompletableFuture<Void> future) {
            cut();
            Item owner = !data.isEmpty() ? data.getLast() : controls.isEmpty() ? null : controls.getLast();
            // the deferred sends' futures (future is null when there are some) go with this drain's last item
            CompletableFuture<Void> first = future;
            CompletableFuture<Void>[] more = null;
            if (deferredFirst != null) {
                first = deferredFirst;
                more = deferredMore;
                deferredHint = deferredMoreCount;
                deferredFirst = null;
                deferredMore = null;
                deferredMoreCount = 0;
            }
            long counted = deferredBytes;
            deferredBytes = 0;
            IOException failed = failure;
            if (failed != null) {
                // nothing more is written: the drain's bytes are dropped and its sends fail
                buffered.addAndGet(-counted);
                if (first != null) {
                    Item.settle(first, more, failed);
                }
            } else {
                if (owner != null) {
                    // before publishing: the item may be written at once
                    owner.future = first;
                    owner.more = more;
                } else if (first != null) {
                    Item.settle(first, more, null);
                }
                long size = 0;
                for (int i = 0; i < controls.size(); i++) {
                    size += controls.get(i).size;
                }
                for (int i = 0; i < data.size(); i++) {
                    size += data.get(i).size;
                }
                collected += size;
                // counted before any item is in a lane (a writer may take it at once): never below what is queued
                buffered.addAndGet(size - counted);
                if (pongBytes != 0) {
                    queuedPongBytes.addAndGet(pongBytes); // before publishing: a writer takes them off
                }
                for (int i = 0; i < controls.size(); i++) {
                    urgent.add(controls.get(i));
                }
                for (int i = 0; i < data.size(); i++) {
                    queue.add(data.get(i));
                }
            }
            controls.clear();
            data.clear();
            if (end) {
                queue.add(new Item(NO_BUFFERS, 0, false, false));
            }
            if ((owner != null || end) && failure != null) {
                failAll(failure); // failed meanwhile: nothing may wait forever
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * Writes what the sink takes now on the calling thread without ever waiting (not for the network,
     * not for another writer); what is left goes to the hand-off writer. For the reading thread.
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
            return; // the active writer looks at the lanes again after it unlocks
        }
        Item done;
        try {
            drainLocked(true);
        } finally {
            done = takeDone();
            writeLock.unlock();
        }
        complete(done);
        flushAsync();
    }

    /** Has what is queued written by the hand-off writer, so the caller never blocks on the network. */
    void flushAsync() {
        if (isEmpty() || failure != null || writeLock.isLocked()) {
            return; // an active writer looks again after it unlocks
        }
        if (flusherScheduled.compareAndSet(false, true)) {
            try {
                handoff.execute(this::handOffRun);
            } catch (RuntimeException e) {
                flusherScheduled.set(false);
                fail(new IOException("could not start a writer: " + e, e));
            }
        }
    }

    private void handOffRun() {
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
    }

    /** Writes what is queued on this thread, blocking while the network does, unless another writer is active. */
    void flush() {
        while (!isEmpty() && failure == null) {
            if (!writeLock.tryLock()) {
                return;
            }
            Item done;
            try {
                drainLocked(false);
            } finally {
                done = takeDone();
                writeLock.unlock();
            }
            complete(done);
        }
    }

    /**
     * Whether the calling thread is this queue's writer (completing send futures runs dependent
     * actions on it): such a thread must not wait for room, since only it can make room.
     */
    boolean isWriterThread() {
        return writeLock.isHeldByCurrentThread() || Thread.currentThread() == writer;
    }

    /** Records that {@code item} was written whole: its future completes once the lock is released. */
    private void written(Item item) {
        if (item.future == null) {
            return;
        }
        if (doneTail == null) {
            doneHead = item;
        } else {
            doneTail.nextDone = item;
        }
        doneTail = item;
    }

    /** The chain of written items with futures, emptied. Under {@link #writeLock}. */
    private Item takeDone() {
        Item head = doneHead;
        doneHead = null;
        doneTail = null;
        return head;
    }

    private void complete(Item done) {
        // completing runs the senders' dependent actions, which may send again: not under the lock
        for (Item item = done; item != null; ) {
            Item next = item.nextDone;
            item.nextDone = null;
            item.settle(null);
            item = next;
        }
        signal();
    }

    /**
     * The next item in write order: a started carried item (and any carried item while a control frame
     * is among them), the opening handshake's bytes, then control frames, then the rest.
     */
    private Item peekNext() {
        Item head = carry.peekFirst();
        if (head != null && (head.remaining() < head.size || head.control || carriesControl())) {
            // a frame in progress is finished first; and a control frame a write did not take keeps its
            // place before the control frames queued since (a pong answers its ping in order)
            return head;
        }
        Item data = head != null ? head : queue.peek();
        if (data != null && data.barrier) {
            return data; // frames follow the 101 response, never precede it
        }
        Item control = urgent.peek();
        return control != null ? control : data;
    }

    /** Whether a control frame is among the carried items. Under {@link #writeLock}. */
    private boolean carriesControl() {
        for (Item item : carry) {
            if (item.control) {
                return true;
            }
        }
        return false;
    }

    private void take(Item item) {
        if (carry.peekFirst() == item) {
            carry.pollFirst();
            carried = carry.size();
        } else if (urgent.peek() == item) {
            urgent.poll();
            if (item.pong) {
                queuedPongBytes.addAndGet(-item.size);
            }
        } else {
            queue.poll();
        }
    }

    /**
     * Writes items in write order, in gathering writes. Blocking: until everything is written.
     * Non-blocking: until a write takes less than it was given (the rest is carried), or the sink
     * cannot write without blocking at all. Reaching the end of output shuts the sink's output.
     */
    private void drainLocked(boolean nonBlocking) {
        ByteBuffer[] gather = this.gather;
        ArrayList<Item> batch = this.batch;
        while (true) {
            batch.clear();
            int count = 0;
            boolean alone = false;
            while (count < GATHER) {
                Item item = peekNext();
                if (item == null || item.isEnd()) {
                    break;
                }
                if (count > 0 && count + item.buffers.length > GATHER) {
                    break;
                }
                if (item.buffers.length > GATHER) {
                    if (count > 0) {
                        break;
                    }
                    if (nonBlocking) {
                        return; // more buffers than one write takes: the hand-off writer's
                    }
                    alone = true;
                }
                take(item);
                batch.add(item);
                if (alone) {
                    break;
                }
                if (count + item.buffers.length > gather.length) {
                    gather = Arrays.copyOf(gather, Math.min(GATHER, Math.max(2 * gather.length, count + item.buffers.length)));
                    this.gather = gather;
                }
                System.arraycopy(item.buffers, 0, gather, count, item.buffers.length);
                count += item.buffers.length;
            }
            if (batch.isEmpty()) {
                Item next = peekNext();
                if (next != null && next.isEnd()) {
                    take(next);
                    endOutput();
                }
                return;
            }
            long before = 0;
            for (Item item : batch) {
                before += item.remaining();
            }
            long written;
            try {
                if (alone) {
                    Item big = batch.get(0);
                    for (int i = 0; i < big.buffers.length; i += GATHER) {
                        sink.write(big.buffers, i, Math.min(GATHER, big.buffers.length - i));
                    }
                    written = before;
                } else if (nonBlocking) {
                    written = sink.tryWrite(gather, 0, count);
                    if (written < 0) {
                        noInline = true;
                        written = 0;
                    }
                } else {
                    sink.write(gather, 0, count);
                    written = before;
                }
            } catch (IOException | RuntimeException e) {
                IOException error = e instanceof IOException io ? io : new IOException("write failed: " + e, e);
                // everything the batch held before this write: a failed write may have moved the
                // buffers' positions for bytes it never reported written
                buffered.addAndGet(-before);
                for (Item failed : batch) {
                    if (failed.future != null) {
                        failed.settle(error);
                    }
                }
                batch.clear();
                fail(error);
                return;
            } finally {
                Arrays.fill(gather, 0, count, null);
            }
            buffered.addAndGet(-written);
            if (written > 0) {
                this.written += written;
                observer.bytesWritten(written);
            }
            if (written < before) {
                // the sink took part of it: the items written whole are done, the rest goes first next
                // time, in order (a started one before anything else)
                int first = 0;
                while (first < batch.size() && batch.get(first).remaining() == 0) {
                    written(batch.get(first++));
                }
                for (int i = batch.size() - 1; i >= first; i--) {
                    carry.addFirst(batch.get(i));
                }
                carried = carry.size();
                batch.clear();
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                written(batch.get(i));
            }
            batch.clear(); // an idle connection keeps no reference to written buffers
        }
    }

    private void endOutput() {
        try {
            sink.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            // the connection is closing anyway; the driver closes it
        }
        ended = true;
        signal();
    }

    // ------------------------------------------------------------------------------------------
    // Failing and waiting

    /** Marks the output as failed: queued and later sends fail with {@code error}. */
    void fail(IOException error) {
        boolean first = failure == null;
        if (first) {
            failure = error;
        }
        failAll(failure);
        signal();
        if (first) {
            onWriteError.accept(error);
        }
    }

    private void failAll(IOException error) {
        if (writeLock.tryLock()) {
            try {
                Item item;
                while ((item = carry.pollFirst()) != null) {
                    failItem(item, error);
                }
                carried = 0;
            } finally {
                writeLock.unlock();
            }
        }
        // else: the writer holding the lock fails what it carries when its write fails, or a later
        // one does (failure is set, so drains stop), and discard() waits for it
        Item item;
        while ((item = urgent.poll()) != null) {
            failItem(item, error);
        }
        while ((item = queue.poll()) != null) {
            failItem(item, error);
        }
    }

    private void failItem(Item item, IOException error) {
        buffered.addAndGet(-item.remaining());
        if (item.future != null) {
            item.settle(error);
        }
    }

    /**
     * The connection is over: fails what is left, without telling the write-error callback. A writer
     * still holding the queue (its write failed by the closed sink) is waited for, within
     * {@link #WRITER_SETTLE_SECONDS}, so that it settles its batch first.
     */
    void discard(IOException reason) {
        discard(reason, true);
    }

    /**
     * {@link #discard} that never waits (for an event loop): false, with what is queued failed, if a
     * writer holds the queue now; the caller then discards again where it may wait.
     */
    boolean discardWithoutWaiting(IOException reason) {
        return discard(reason, false);
    }

    private boolean discard(IOException reason, boolean mayWait) {
        if (failure == null) {
            failure = reason;
        }
        failAll(failure);
        boolean settled = false;
        try {
            // a writer whose write the closed sink has just failed settles its batch
            settled = mayWait ? writeLock.tryLock(WRITER_SETTLE_SECONDS, TimeUnit.SECONDS) : writeLock.tryLock();
            if (settled) {
                writeLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(failure);
        signal();
        return settled;
    }

    /**
     * Waits until {@code size} more bytes fit under {@code highWaterMark} (or nothing is queued, so a
     * message larger than the mark can still go), the output fails, or the wall-clock deadline passes.
     */
    boolean awaitRoom(long size, long highWaterMark, long deadlineNanos) throws InterruptedException {
        return await(() -> {
            long now = buffered.get();
            return now == 0 || now + size <= highWaterMark || failure != null;
        }, deadlineNanos) && failure == null;
    }

    /** Waits until the end of output was written or the output failed, up to the wall-clock deadline. */
    boolean awaitEnded(long deadlineNanos) throws InterruptedException {
        return await(() -> ended || failure != null, deadlineNanos) && ended;
    }

    private boolean await(java.util.function.BooleanSupplier condition, long deadlineNanos) throws InterruptedException {
        waiters.incrementAndGet();
        signalLock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            signalLock.unlock();
            waiters.decrementAndGet();
        }
    }

    private void signal() {
        if (waiters.get() > 0) {
            signalLock.lock();
            try {
                changed.signalAll();
            } finally {
                signalLock.unlock();
            }
        }
    }
}
