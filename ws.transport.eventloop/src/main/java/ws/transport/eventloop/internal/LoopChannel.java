package ws.transport.eventloop.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import ws.protocol.driver.Sink;

/**
 * One TCP connection on a loop: the {@link Sink} its driver writes through, and the loop's handler
 * that reads it. Reads borrow the loop's buffer for as long as the bytes are handed over; what reads
 * them ({@link Input}: the HTTP phase, then the WebSocket driver) copies what it keeps.
 *
 * <p>Writes: {@link #tryWrite} writes what the socket takes now (the loop thread's inline writes);
 * {@link #write} is the hand-off writer's, on a thread of its own: when the socket is full it waits on a
 * selector of its own until it drains, so the loop never waits for a slow peer and a writer never needs
 * the loop (a listener that blocks its loop cannot stall its own writer).
 */
final class LoopChannel implements Sink, Loop.Handler {

    /** What reads a connection's bytes: on the loop thread, one call at a time. */
    interface Input {
        /** Bytes read; {@code data} is the loop's buffer, valid only during the call. */
        void received(ByteBuffer data);

        /** The peer ended its output. */
        void endOfInput();

        /** Reading failed (a reset), or the channel was closed here: {@code error} says which. */
        void failed(IOException error);
    }

    final Loop loop;
    final SocketChannel channel;
    private final SocketAddress remote;
    private final SocketAddress local;
    private volatile SelectionKey key;
    private Input input;
    /** Set once by {@link #close}, through {@link #CLOSED} (a field, not an object per connection). */
    private volatile boolean closed;
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(LoopChannel.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** The input ended or failed (reported once); loop thread only. */
    private boolean inputOver;

    LoopChannel(Loop loop, SocketChannel channel) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
    }

    /** Registers with the loop for reading into {@code first}; on the loop thread. */
    void register(Input first) throws IOException {
        input = first;
        key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    /** Hands the input to {@code next} (the HTTP phase's upgrade to a WebSocket); on the loop thread. */
    void switchTo(Input next) {
        input = next;
    }

    /** Stops or resumes reading (a held HTTP exchange with enough input buffered); on the loop thread. */
    void reading(boolean on) {
        SelectionKey k = key;
        if (k != null && k.isValid() && !inputOver) {
            k.interestOps(on ? SelectionKey.OP_READ : 0);
        }
    }

    @Override
    public void ready(SelectionKey selected, int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) == 0 || inputOver) {
            return;
        }
        ByteBuffer buffer = loop.borrow();
        try {
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                over();
                input.failed(e);
                return;
            }
            if (n < 0) {
                over();
                input.endOfInput();
            } else if (n > 0) {
                buffer.flip();
                input.received(buffer);
            }
        } finally {
            loop.giveBack();
        }
    }

    private void over() {
        inputOver = true;
        SelectionKey k = key;
        if (k != null && k.isValid()) {
            k.interestOps(0); // an ended input is always "readable": stop selecting it
        }
    }

    /** After {@link #close}: the input hears of it (as a blocked read would fail), once. */
    private void closedHere() {
        if (!inputOver) {
            inputOver = true;
            if (input != null) {
                input.failed(new AsynchronousCloseException());
            }
        }
    }

    @Override
    public long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
        return channel.write(buffers, offset, length);
    }

    /** Writes what the socket takes of {@code buffer} now. */
    void tryWrite(ByteBuffer buffer) throws IOException {
        channel.write(buffer);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        Selector waiting = null;
        try {
            while (true) {
                channel.write(buffers, offset, length);
                while (length > 0 && !buffers[offset].hasRemaining()) {
                    offset++;
                    length--;
                }
                if (length == 0) {
                    return;
                }
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                if (waiting == null) {
                    waiting = Selector.open();
                    channel.register(waiting, SelectionKey.OP_WRITE);
                }
                waiting.select(1000); // woken by room in the socket; the bound rechecks a close
                waiting.selectedKeys().clear();
            }
        } finally {
            if (waiting != null) {
                waiting.close();
            }
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        if (key != null) {
            loop.deregistered();
        }
        loop.submit(this::closedHere);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public String describe() {
        return "eventloop " + local + " <- " + remote;
    }
}
