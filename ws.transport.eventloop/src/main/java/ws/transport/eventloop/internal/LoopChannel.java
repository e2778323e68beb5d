package ws.transport.eventloop.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.Sink;
import ws.transport.eventloop.layer.ChannelLayer;
import ws.transport.eventloop.layer.LayerChannel;
import ws.transport.stream.internal.DeferredNoDelay;

/**
 * One TCP connection on a loop: the {@link Sink} its driver writes through, and the loop's handler
 * that reads it. Reads borrow the loop's buffer for as long as the bytes are handed over; what reads
 * them ({@link Input}: the HTTP phase, then the WebSocket driver) copies what it keeps.
 *
 * <p>Writes: {@link #tryWrite} writes what the socket takes now (the loop thread's inline writes);
 * {@link #write} is the hand-off writer's, on a thread of its own: when the socket is full it waits on a
 * selector of its own until it drains, so the loop never waits for a slow peer and a writer never needs
 * the loop (a listener that blocks its loop cannot stall its own writer).
 *
 * <p>With a {@link LayerChannel} (TLS), the layer reads and writes the socket and the loop selects what
 * the layer waits for: input, room for its pending output (the loop flushes it), or nothing while a
 * delegated task runs (the layer's wakeup reads again). The input gets application bytes only.
 */
final class LoopChannel implements Sink, Loop.Handler {

    /**
     * What reads a connection's bytes: on the loop thread, one call at a time. Told which channel, so
     * that one input may read for many ({@link DriverInput}: every WebSocket connection of its owner).
     */
    interface Input {
        /** Bytes read from {@code channel}; {@code data} is the loop's buffer, valid only during the call. */
        void received(LoopChannel channel, ByteBuffer data);

        /** The peer ended its output. */
        void endOfInput(LoopChannel channel);

        /** Reading failed (a reset), or the channel was closed here: {@code error} says which. */
        void failed(LoopChannel channel, IOException error);
    }

    /** Reads of a layer per readiness before the loop's other connections get their turn. */
    private static final int LAYER_READS = 8;

    final Loop loop;
    final SocketChannel channel;
    private final SocketAddress remote;
    private final SocketAddress local;
    private volatile SelectionKey key;
    private Input input;
    /** The WebSocket driver the input feeds ({@link #switchTo}), or null before: in a field here, no object per connection. */
    private ConnectionDriver driver;
    /** Set once by {@link #close}, through {@link #CLOSED} (a field, not an object per connection). */
    private volatile boolean closed;
    /** The plain socket's output was shut (its FIN sent): nothing more can be written to it. */
    private volatile boolean outputShut;
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
    /** TLS between the socket and the input, or null: set before the channel is registered. */
    private LayerChannel layer;
    /** What runs once the layer's handshake is done, or null; loop thread only. */
    private Runnable secured;
    /** Whether the input wants bytes (the HTTP phase pauses it behind a held exchange); loop thread only. */
    private boolean readingWanted = true;
    /** TCP_NODELAY still to be set at the second write ({@link #accepted}), or null. */
    private volatile DeferredNoDelay noDelay;

    LoopChannel(Loop loop, SocketChannel channel) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
    }

    /**
     * A connection a server accepted, without a layer: TCP_NODELAY is set at its second write (see
     * {@link DeferredNoDelay}), not here; on the loop thread.
     */
    static LoopChannel accepted(Loop loop, SocketChannel channel) throws IOException {
        LoopChannel made = new LoopChannel(loop, channel);
        made.noDelay = DeferredNoDelay.NO_WRITE_YET;
        return made;
    }

    /**
     * A connection whose bytes pass through a layer (TLS) that {@code layers} makes; on the loop thread.
     *
     * @param target the origin a client connects to, null on a server
     */
    static LoopChannel layered(Loop loop, SocketChannel channel, ChannelLayer layers, InetSocketAddress target)
            throws IOException {
        LoopChannel made = new LoopChannel(loop, channel);
        made.layer = layers.open(channel, target, loop.netBuffers, () -> loop.execute(made::resumed));
        return made;
    }

    /** Registers with the loop for reading into {@code first}; on the loop thread. */
    void register(Input first) throws IOException {
        register(first, null);
    }

    /**
     * Registers with the loop for reading into {@code first}; on the loop thread. With a layer,
     * {@code whenSecured} (or null) runs on the loop once its handshake is done (a client's driver
     * starts then), before any application byte reaches the input, and the handshake starts now.
     */
    void register(Input first, Runnable whenSecured) throws IOException {
        input = first;
        secured = whenSecured;
        key = loop.register(channel, SelectionKey.OP_READ, this);
        if (layer != null) {
            readLayer();
        }
    }

    /**
     * Hands the input to {@code next}, which reads for {@code feeding} (a {@link DriverInput} for its
     * WebSocket driver: the HTTP phase's upgrade, a client's start), or for none (null); on the loop
     * thread, before or after {@link #register}.
     */
    void switchTo(Input next, ConnectionDriver feeding) {
        driver = feeding;
        input = next;
    }

    /** The WebSocket driver this channel's input feeds ({@link #switchTo}), or null. */
    ConnectionDriver driver() {
        return driver;
    }

    /** Stops or resumes reading (a held HTTP exchange with enough input buffered); on the loop thread. */
    void reading(boolean on) {
        readingWanted = on;
        if (layer != null) {
            if (on && layer.hasBufferedInput()) {
                loop.submit(this::resumed);
            }
            selectLayer();
            return;
        }
        SelectionKey k = key;
        if (k != null && k.isValid() && !inputOver) {
            k.interestOps(on ? SelectionKey.OP_READ : 0);
        }
    }

    @Override
    public void ready(SelectionKey selected, int readyOps) {
        if (layer != null) {
            layerReady(readyOps);
            return;
        }
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
                input.failed(this, e);
                return;
            }
            if (n < 0) {
                over();
                input.endOfInput(this);
            } else if (n > 0) {
                buffer.flip();
                input.received(this, buffer);
            }
        } finally {
            loop.giveBack();
        }
    }

    // ------------------------------------------------------------------------------------------
    // With a layer

    private void layerReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            try {
                layer.flush();
            } catch (IOException e) {
                if (!inputOver) {
                    over();
                    input.failed(this, e);
                }
                return;
            }
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 || !layer.handshakeDone()) {
            readLayer();
        } else {
            selectLayer();
        }
    }

    /** The layer's wakeup (a delegated task done), or reading resumed with input buffered. */
    private void resumed() {
        if (!closed) {
            readLayer();
        }
    }

    /** Reads through the layer a few times, hands the bytes on, then selects what the layer waits for. */
    private void readLayer() {
        for (int i = 0; i < LAYER_READS && layerWantsInput(); i++) {
            ByteBuffer buffer = loop.borrow();
            try {
                int n;
                try {
                    n = layer.read(buffer);
                } catch (IOException e) {
                    over();
                    input.failed(this, e);
                    return;
                }
                if (secured != null && layer.handshakeDone()) {
                    Runnable run = secured;
                    secured = null;
                    run.run();
                }
                if (n < 0) {
                    over();
                    input.endOfInput(this);
                    return;
                }
                if (n == 0 && !layer.hasBufferedInput()) {
                    break;
                }
                if (n > 0) {
                    buffer.flip();
                    input.received(this, buffer);
                    if (layer.inputDrained() && !layer.hasBufferedInput()) {
                        break; // the socket had no more: the selector says when it has
                    }
                }
            } finally {
                loop.giveBack();
            }
        }
        if (layerWantsInput() && layer.hasBufferedInput()) {
            loop.submit(this::resumed); // more decrypted input: after the loop's other connections
        }
        selectLayer();
    }

    /** Whether bytes are to be read through the layer now: the input is not over nor paused, and no delegated task runs. */
    private boolean layerWantsInput() {
        return !inputOver && readingWanted && layer.wantsInput();
    }

    /** Selects what the layer waits for: input (unless paused or ended), room for its pending output. */
    private void selectLayer() {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        int ops = 0;
        if (layerWantsInput()) {
            ops |= SelectionKey.OP_READ;
        }
        if (layer.hasPendingOutput()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (k.interestOps() != ops) {
            k.interestOps(ops);
        }
    }

    // ------------------------------------------------------------------------------------------

    private void over() {
        inputOver = true;
        if (layer != null) {
            selectLayer(); // pending output still goes out
            return;
        }
        SelectionKey k = key;
        if (k != null && k.isValid()) {
            k.interestOps(0); // an ended input is always "readable": stop selecting it
        }
    }

    /** After {@link #close}: the input hears of it (as a blocked read would fail), once. */
    private void closedHere() {
        if (layer != null) {
            layer.release();
        }
        if (!inputOver) {
            inputOver = true;
            if (input != null) {
                input.failed(this, new AsynchronousCloseException());
            }
        }
    }

    /** Before each write of a plain connection: TCP_NODELAY set at the second one, if it was deferred. */
    private void writing() throws IOException {
        DeferredNoDelay pending = noDelay;
        if (pending != null) {
            noDelay = pending.beforeWrite(channel);
        }
    }

    @Override
    public long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
        if (layer == null) {
            writing();
            return channel.write(buffers, offset, length);
        }
        long taken = layer.write(buffers, offset, length);
        if (layer.hasPendingOutput()) {
            if (loop.inLoop()) {
                selectLayer(); // the loop flushes it when the socket has room
            } else {
                loop.execute(this::selectLayer);
            }
        }
        return taken;
    }

    /** Writes what the socket takes of {@code buffer} now. */
    void tryWrite(ByteBuffer buffer) throws IOException {
        tryWrite(new ByteBuffer[] {buffer}, 0, 1);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        if (layer == null) {
            writing();
        }
        Selector waiting = null;
        try {
            while (true) {
                if (layer == null) {
                    channel.write(buffers, offset, length);
                } else {
                    layer.write(buffers, offset, length);
                }
                while (length > 0 && !buffers[offset].hasRemaining()) {
                    offset++;
                    length--;
                }
                if (length == 0 && (layer == null || layer.flush())) {
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
        if (layer == null) {
            channel.shutdownOutput();
            outputShut = true;
            return;
        }
        layer.shutdownOutput();
        if (layer.hasPendingOutput()) {
            if (loop.inLoop()) {
                selectLayer(); // the loop writes the rest, then the layer sends the FIN
            } else {
                write(new ByteBuffer[0], 0, 0); // the hand-off writer may wait for room
            }
        }
    }

    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        SelectionKey registered = key;
        if (registered != null && outputShut && loop.inLoop()) {
            // nothing more can be written and the loop is here: the key leaves the selector first
            registered.cancel();
            loop.closeAfterSelect(channel);
        } else {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
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
    public Optional<SSLSession> tlsSession() {
        return layer == null ? Optional.empty() : layer.session();
    }

    @Override
    public String describe() {
        return (layer == null ? "eventloop " : "eventloop+tls ") + local + " <- " + remote;
    }
}
