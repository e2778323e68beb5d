package ws.transport.eventloop.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.transport.eventloop.layer.NetBuffers;

/**
 * One event loop: a thread, a {@link Selector}, a queue of tasks from other threads, a deadline queue
 * of timers, and one read buffer that every connection of the loop borrows only while its bytes are
 * read and parsed (the engine and the HTTP phase copy what they keep), so no connection holds one.
 *
 * <p>Everything a loop runs (readiness, tasks, timers) runs on its thread, one at a time: it must not
 * block, or every connection of the loop waits.
 */
public final class Loop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Loop.class);

    /** What a registered channel does when it is ready. */
    public interface Handler {
        /** The channel is ready for the operations in {@code readyOps}; on the loop thread. */
        void ready(SelectionKey key, int readyOps);
    }

    /** The least size of each scratch buffer for network bytes (a few TLS records). */
    private static final int NET_BUFFER = 64 << 10;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean awake = new AtomicBoolean();
    private final TimerHeap timers = new TimerHeap();
    /** The timers of {@link #scheduleInLane}'s one delay, or null before the first. */
    private TimerLane lane;
    /** The heap's timer whose action runs now, or null: the timer that action may arm again. Loop thread only. */
    private LoopTimer firing;
    private final ByteBuffer readBuffer;
    /** Read buffers lent to a connection right now: 0 whenever the loop waits (the test's counter). */
    private final AtomicInteger buffersLent = new AtomicInteger();
    private final AtomicInteger channels = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    /**
     * Channels whose key was cancelled, to close once a select has dropped the key
     * ({@link #closeAfterSelect}); and the list being closed now. Loop thread only.
     */
    private ArrayList<SelectableChannel> toClose = new ArrayList<>();
    private ArrayList<SelectableChannel> closing = new ArrayList<>();
    /** Channels closed after their key was dropped: for tests. Written by the loop thread only. */
    private volatile int closedUnregistered;
    private volatile boolean stopping;
    /** The scratch buffers of the TLS connections of this loop: made on the first one's use. */
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    /** Lends {@link #netIn} and {@link #netOut} to the layers of this loop's connections. */
    final NetBuffers netBuffers = new NetBuffers() {
        @Override
        public boolean usable() {
            return inLoop();
        }

        @Override
        public ByteBuffer in(int capacity) {
            if (netIn == null || netIn.capacity() < capacity) {
                netIn = ByteBuffer.allocate(Math.max(capacity, NET_BUFFER));
            }
            return netIn.clear();
        }

        @Override
        public ByteBuffer out(int capacity) {
            if (netOut == null || netOut.capacity() < capacity) {
                netOut = ByteBuffer.allocate(Math.max(capacity, NET_BUFFER));
            }
            return netOut.clear();
        }
    };

    Loop(String name, boolean daemon, int readBufferSize) throws IOException {
        this.selector = Selector.open();
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        this.thread = Thread.ofPlatform().name(name).daemon(daemon).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Whether the calling thread is this loop's. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Thread thread() {
        return thread;
    }

    /** Runs {@code task} on the loop thread: now when called there, else soon. */
    public void execute(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            submit(task);
        }
    }

    /**
     * Closes {@code channel}, whose key with this loop's selector the caller has cancelled, once the
     * next select has dropped that key (the loop selects again at once). The JDK closes a channel
     * that is still registered only when its selector drops the key, and then reads {@code SO_LINGER}
     * and shuts the output down first (two system calls, the second failing when the output was
     * shut already); closed after the select, it is one {@code close}. On the loop thread.
     */
    void closeAfterSelect(SelectableChannel channel) {
        toClose.add(channel);
    }

    private void closeAll(ArrayList<SelectableChannel> list) {
        int count = list.size();
        for (int i = 0; i < count; i++) {
            try {
                list.get(i).close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        list.clear();
        if (count > 0) {
            closedUnregistered += count;
        }
    }

    /** Channels closed after their key was dropped ({@link #closeAfterSelect}): for tests. */
    int closedUnregistered() {
        return closedUnregistered;
    }

    /**
     * Runs {@code task} on the loop thread after what is queued, even when called there (with no
     * wake-up then: the loop runs its tasks before it selects again).
     */
    public void submit(Runnable task) {
        tasks.add(task);
        if (!inLoop() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Registers {@code channel} (non-blocking) for {@code ops}; on the loop thread. */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        SelectionKey key = channel.register(selector, ops, handler);
        channels.incrementAndGet();
        return key;
    }

    /** A channel registered with {@link #register} is closed. */
    public void deregistered() {
        channels.decrementAndGet();
    }

    /** Lends the loop's read buffer, cleared; give it back with {@link #giveBack} before the handler returns. */
    public ByteBuffer borrow() {
        buffersLent.incrementAndGet();
        return readBuffer.clear();
    }

    /** Returns the buffer {@link #borrow} lent. */
    public void giveBack() {
        buffersLent.decrementAndGet();
    }

    /** Read buffers lent right now. */
    int buffersLent() {
        return buffersLent.get();
    }

    /** Channels registered with this loop and not yet closed. */
    int channels() {
        return channels.get();
    }

    /**
     * Runs {@code action} on this loop in {@code delayNanos}; cancel the timer to drop it. An action that
     * schedules itself while its timer runs gets that timer back, armed again ({@link LoopTimer#rearm}).
     */
    LoopTimer schedule(long delayNanos, Runnable action) {
        long deadline = System.nanoTime() + Math.max(0, delayNanos);
        if (!inLoop()) {
            LoopTimer timer = new LoopTimer(this, deadline, action);
            submit(() -> {
                if (!timer.isCancelled()) { // cancelled before it was queued: never queued
                    timers.add(timer);
                }
            });
            return timer;
        }
        LoopTimer running = firing;
        LoopTimer timer = running != null && running.rearm(deadline, action) ? running : new LoopTimer(this, deadline, action);
        timers.add(timer);
        return timer;
    }

    /**
     * {@link #schedule}, on the loop thread, for a timer of the delay every such timer of this loop has
     * (the HTTP phase's bound): it goes in the loop's {@link TimerLane}, {@code O(1)} to add and to
     * cancel. A timer of another delay, or from another thread, goes in the heap as any other.
     */
    LoopTimer scheduleInLane(long delayNanos, Runnable action) {
        long delay = Math.max(0, delayNanos);
        if (!inLoop() || (lane != null && !lane.takes(delay))) {
            return schedule(delay, action);
        }
        if (lane == null) {
            lane = new TimerLane(delay);
        }
        LoopTimer.Laned timer = new LoopTimer.Laned(this, System.nanoTime() + delay, action);
        lane.add(timer);
        return timer;
    }

    /** {@code timer} was cancelled: it leaves the queue now (on the loop) or by the loop's next tasks. */
    void cancelled(LoopTimer timer) {
        if (inLoop()) {
            unqueue(timer);
        } else {
            submit(() -> unqueue(timer));
        }
    }

    private void unqueue(LoopTimer timer) {
        if (timer instanceof LoopTimer.Laned laned) {
            lane.remove(laned);
        } else {
            timers.remove(timer);
        }
    }

    /** Timers queued now (cancelled ones leave at once): for tests. */
    int pendingTimers() {
        return timers.size() + (lane == null ? 0 : lane.size());
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                long wait = runTimers();
                awake.set(false);
                ArrayList<SelectableChannel> dropped = null;
                if (!toClose.isEmpty()) { // their keys leave the selector in this select
                    dropped = toClose;
                    toClose = closing;
                    closing = dropped;
                }
                if (!tasks.isEmpty() || dropped != null) {
                    awake.set(true);
                    selector.selectNow(this::dispatch);
                } else if (wait < 0) {
                    selector.select(this::dispatch);
                } else {
                    selector.select(this::dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
                }
                awake.set(true);
                if (dropped != null) {
                    closeAll(dropped);
                }
                runTasks();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("event loop {} failed", thread.getName(), e);
        } finally {
            runTasks(); // first: a task may close a channel, which then waits in the lists below
            closeAll(closing);
            closeAll(toClose);
            try {
                selector.close();
            } catch (IOException ignored) {
                // the loop is over
            }
            ended.countDown();
        }
    }

    private void dispatch(SelectionKey key) {
        try {
            ((Handler) key.attachment()).ready(key, key.readyOps());
        } catch (CancelledKeyException closed) {
            // closed while its readiness was handled
        } catch (RuntimeException | Error e) {
            LOG.warn("event loop {}: a channel handler failed", thread.getName(), e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("event loop {}: a task failed", thread.getName(), e);
            }
        }
    }

    /** Runs the timers that are due; the nanoseconds until the next one, or -1 if none. */
    private long runTimers() {
        while (true) {
            LoopTimer next = timers.peek();
            LoopTimer first = lane == null ? null : lane.peek();
            if (next == null || first != null && first.deadline - next.deadline < 0) {
                next = first;
            }
            if (next == null) {
                return -1;
            }
            if (next.isCancelled()) {
                unqueue(next); // cancelled from another thread: its removal task has not run yet
                continue;
            }
            long left = next.deadline - System.nanoTime();
            if (left > 0) {
                return left;
            }
            unqueue(next);
            if (next instanceof LoopTimer.Laned) {
                next.fire(LOG);
                continue;
            }
            firing = next; // its action may schedule itself again: this timer, re-armed (see schedule)
            try {
                next.fire(LOG);
            } finally {
                firing = null;
            }
        }
    }

    /** Stops the loop after what is queued; its selector is closed. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Waits for the loop thread to end. */
    boolean awaitStopped(long millis) throws InterruptedException {
        return inLoop() || ended.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "Loop[" + thread.getName() + ", " + channels.get() + " channels]";
    }
}
