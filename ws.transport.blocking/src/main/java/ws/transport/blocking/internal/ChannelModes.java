package ws.transport.blocking.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A blocking socket channel's calls that must not wait (a reader's look for more input, its inline
 * writes), by switching the channel to non-blocking mode for their length. The switch is a flag, not a
 * system call, once the descriptor is non-blocking underneath: the JDK leaves it so for good once a
 * virtual thread has read or written the channel ({@link #noteThread}). Before that, on a platform
 * thread, a switch would be an {@code fcntl} each way, which {@link #cheap()} tells callers to avoid.
 *
 * <p>Switching takes the channel's read and write locks: only the connection's reading thread switches,
 * and only while no other thread is in a write of the channel (the caller holds the lock its writes
 * take). Shared by {@link ChannelWire} and the TLS wire of ws.transport.tls.
 */
public final class ChannelModes {
    /** A call on the channel that does not wait. */
    @FunctionalInterface
    public interface Call {
        long run() throws IOException;
    }

    private final SocketChannel channel;
    /** Whether a virtual thread has read or written the channel (see the class comment). */
    private volatile boolean nonBlockingUnderneath;

    /** @param channel a channel in blocking mode, which it is again after each {@link #nonBlocking} call */
    public ChannelModes(SocketChannel channel) {
        this.channel = channel;
    }

    /** Notes a read or write by the calling thread: on a virtual thread the descriptor is non-blocking from now on. */
    public void noteThread() {
        if (!nonBlockingUnderneath && Thread.currentThread().isVirtual()) {
            nonBlockingUnderneath = true;
        }
    }

    /** Whether the descriptor is known to be non-blocking underneath (a virtual thread used the channel). */
    public boolean nonBlockingUnderneath() {
        return nonBlockingUnderneath;
    }

    /** Whether a {@link #nonBlocking} call costs no system call for the switch: on a virtual thread, or once underneath. */
    public boolean cheap() {
        return nonBlockingUnderneath || Thread.currentThread().isVirtual();
    }

    /** Runs {@code call} with the channel in non-blocking mode, then switches it back (unless it was closed meanwhile). */
    public long nonBlocking(Call call) throws IOException {
        channel.configureBlocking(false);
        try {
            long result = call.run();
            noteThread();
            return result;
        } finally {
            if (channel.isOpen()) {
                channel.configureBlocking(true);
            }
        }
    }
}
