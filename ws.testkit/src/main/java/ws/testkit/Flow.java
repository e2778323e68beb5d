package ws.testkit;

import java.time.Duration;
import ws.testkit.internal.Pipe;

/**
 * One direction of a loopback connection ({@link Link#toServer()} or {@link Link#toClient()}), with
 * the faults a test can inject into it. Faults apply from the next byte read on; every method returns
 * this flow, for chaining.
 */
public final class Flow {
    private final Pipe pipe;
    private final String name;

    Flow(Pipe pipe, String name) {
        this.pipe = pipe;
        this.name = name;
    }

    /** The receiver reads one byte at a time: every parser on the way must cope with any split. */
    public Flow oneByteAtATime() {
        pipe.maxChunk(1);
        return this;
    }

    /** The receiver reads at most {@code bytes} bytes at a time. */
    public Flow chunks(int bytes) {
        pipe.maxChunk(bytes);
        return this;
    }

    /**
     * No read crosses these offsets of this direction's byte stream (counted from its first byte, the
     * handshake included): the receiver sees the bytes split exactly there.
     */
    public Flow splitAt(long... offsets) {
        pipe.splitAt(offsets);
        return this;
    }

    /** Each write waits {@code delay} of wall time before its bytes go (a slow link; the writer waits). */
    public Flow delay(Duration delay) {
        pipe.delay(delay);
        return this;
    }

    /**
     * Stops delivery: the receiver reads nothing, the sender fills the in-flight buffer and then
     * blocks, as with a peer that stopped reading. {@link #resume()} delivers everything in order.
     */
    public Flow stall() {
        pipe.stall(true);
        return this;
    }

    /** Ends a {@link #stall()}. */
    public Flow resume() {
        pipe.stall(false);
        return this;
    }

    /**
     * Half-closes this direction (a TCP FIN from the sender, with no close frame): the receiver reads
     * the end of input after the bytes already sent; the sender's further writes fail.
     */
    public Flow halfClose() {
        pipe.finish();
        return this;
    }

    /** Removes chunking, split points, delay and stall. */
    public Flow clearFaults() {
        pipe.clearFaults();
        return this;
    }

    /** Bytes the sender has put into this direction so far. */
    public long bytesSent() {
        return pipe.written();
    }

    /** Bytes the receiver has read from this direction so far. */
    public long bytesDelivered() {
        return pipe.delivered();
    }

    @Override
    public String toString() {
        return "Flow[" + name + ", sent " + bytesSent() + ", delivered " + bytesDelivered() + "]";
    }
}
