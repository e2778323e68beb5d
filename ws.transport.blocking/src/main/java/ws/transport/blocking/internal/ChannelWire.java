package ws.transport.blocking.internal;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;
import ws.transport.stream.internal.DeferredNoDelay;

/**
 * A wire over a blocking {@link SocketChannel}: reads and gathering writes go straight to the channel
 * (a single {@code writev} for a frame header and its payload), closing it wakes a blocked reader.
 */
class ChannelWire extends AbstractChannelWire {

    /**
     * The switch to non-blocking mode, a flag once a virtual thread has read or written this channel, so
     * that a {@link #readNow} is one system call on any thread (the platform reader's socket turns so at
     * the first hand-off write, whose writer is virtual).
     */
    private final ChannelModes modes;
    /** Held by {@link #write} (the hand-off writer may wait in it), so the mode never changes under it. */
    private final ReentrantLock writing = new ReentrantLock();
    /** TCP_NODELAY still to be set at the second write (a plain connection a server accepted), or null. */
    private volatile DeferredNoDelay noDelay;

    /** A wire over {@code channel}, whose TCP_NODELAY is already set as wanted. */
    ChannelWire(SocketChannel channel) throws IOException {
        this(channel, false);
    }

    /**
     * A wire over {@code channel}; with {@code deferNoDelay} (a plain connection a server accepted)
     * TCP_NODELAY is set at its second write ({@link DeferredNoDelay}), not before.
     */
    ChannelWire(SocketChannel channel, boolean deferNoDelay) throws IOException {
        super(channel);
        this.modes = new ChannelModes(channel);
        this.noDelay = deferNoDelay ? DeferredNoDelay.NO_WRITE_YET : null;
    }

    private void writing() throws IOException {
        DeferredNoDelay pending = noDelay;
        if (pending != null) {
            noDelay = pending.beforeWrite(channel);
        }
    }

    /** The last read of the channel took less than it had room for, or nothing: the socket had no more then. */
    private boolean drained;

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        int n = channel.read(buffer);
        modes.noteThread();
        drained = n >= 0 && buffer.hasRemaining();
        return n;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Once the descriptor is non-blocking underneath ({@link ChannelModes}), one non-blocking
     * {@code read}, with the channel switched to non-blocking mode for its duration (a flag); only the
     * reader thread calls this, and it skips the switch while the hand-off writer is in a write, which
     * holds the channel's write lock the switch needs. Otherwise (or then) a {@code FIONREAD} probe, and a
     * read only when it finds bytes.
     */
    @Override
    public int readNow(ByteBuffer buffer) throws IOException {
        if (!modes.nonBlockingUnderneath() || !writing.tryLock()) {
            if (available() > 0) {
                return read(buffer);
            }
            drained = true; // the probe found nothing
            return 0;
        }
        try {
            int n = (int) modes.nonBlocking(() -> channel.read(buffer));
            drained = n >= 0 && buffer.hasRemaining();
            return n;
        } finally {
            writing.unlock();
        }
    }

    /** {@inheritDoc} From the last read or look: only the reader thread reads, and asks. */
    @Override
    public boolean drained() {
        return drained;
    }

    /** {@inheritDoc} True: both ways of {@link #readNow} see the socket's received bytes. */
    @Override
    public boolean readNowSeesAll() {
        return true;
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        writing.lock();
        try {
            writing();
            int end = offset + length;
            int first = offset;
            while (first < end) {
                channel.write(buffers, first, end - first);
                while (first < end && !buffers[first].hasRemaining()) {
                    first++;
                }
            }
            modes.noteThread();
        } finally {
            writing.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One gathering write with the channel switched to non-blocking mode for its duration. The
     * caller holds the connection's write lock, and only the reader thread calls this, so no other
     * read or write of this channel runs meanwhile (the channel's own locks would wait for them).
     *
     * <p>The switch is a flag, not a system call, once the descriptor is non-blocking underneath: at
     * once on a virtual thread, and on a platform thread after the first hand-off write (the writer is
     * a virtual thread; on a server that is the 101 response). Until then a platform thread writes
     * nothing and returns 0, so the driver hands that batch off and tries inline again next time: a
     * switch by {@code fcntl} (four calls per batch) lost to the hand-off ("Small echo: the I/O side"
     * in docs/performance.md). With the switch a flag, the platform reader writes its own answers: a
     * hand-off per batch put every connection's writes on the one carrier thread of the virtual
     * writers, which the kernel's fair scheduler starved behind the readers under an open-loop load
     * ("The blocking transport under open-loop load" in docs/performance.md).
     */
    @Override
    public long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
        if (!modes.cheap()) {
            return 0;
        }
        writing();
        return modes.nonBlocking(() -> channel.write(buffers, offset, length));
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }
}
