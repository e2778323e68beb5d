package ws.transport.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import ws.protocol.driver.ConnectionDriver;

/**
 * One connection on a socket: its thread and its read loop. Everything else (dispatch, deadlines,
 * backpressure, writing, the end) is the {@link ConnectionDriver}'s; this class only opens the wire,
 * reads it and hands the bytes over.
 *
 * <p>The thread, from the transport's factory, opens the wire (a client's TCP connect, a layer's TLS
 * handshake), then reads into a buffer that goes back to a shared pool while the connection is idle
 * ({@link ReadBuffers}), until the end of input, which includes the lingering after the close
 * handshake (the driver drops what arrives then, and closes the wire when the peer's FIN or the close
 * timeout comes).
 *
 * <p><b>Fairness.</b> After each read it handled (the events dispatched, the answers written), a
 * connection on a virtual thread gives up its turn ({@link Thread#yield()}: to the back of its
 * carrier's queue). Without that, on a core shared by many connections, one whose peer always has the
 * next bytes ready by the time it reads again never parks, and a virtual thread that does not park is
 * never taken off its carrier: the connections behind it wait for as long as it stays busy. With it,
 * a connection with bytes waiting is served after at most one read of each connection ahead of it, as
 * an event loop serves its channels in turn. Platform threads need no such turn: the operating
 * system preempts them (a yield there would cost a system call per read, and on a shared machine give
 * the core to other processes).
 */
final class StreamConnection {

    /**
     * Opens the wire on the connection's own thread: a client's TCP connect, a layer's wrapping (TLS).
     * It registers the TCP socket with {@link ConnectionDriver#connecting} first, so an abort can close
     * it meanwhile, and calls {@link ConnectionDriver#handshakeStarts} once the TCP connection exists.
     */
    @FunctionalInterface
    interface WireOpener {
        Wire open(ConnectionDriver driver) throws IOException;
    }

    private final ConnectionDriver driver;
    private final WireOpener opener;
    /** Bytes of the request read before this connection existed (its HTTP phase); dropped once fed. */
    private ByteBuffer prefix;
    private final int readBufferSize;
    /** Called after each read the connection handled: gives up the turn (see the class comment). */
    private final Runnable turnEnd;
    private volatile Thread thread;
    /** Counted down when {@link #run} returns (its thread may go on to another connection). */
    private final java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param prefix bytes of the connection's input already read elsewhere, or null
     */
    StreamConnection(ConnectionDriver driver, WireOpener opener, ByteBuffer prefix, int readBufferSize) {
        this(driver, opener, prefix, readBufferSize, StreamConnection::endTurn);
    }

    /** The end of a turn: a virtual thread yields its carrier (see the class comment). */
    private static void endTurn() {
        if (Thread.currentThread().isVirtual()) {
            Thread.yield();
        }
    }

    /** @param turnEnd what ends a turn (tests count turns with it); {@link #endTurn} otherwise */
    StreamConnection(ConnectionDriver driver, WireOpener opener, ByteBuffer prefix, int readBufferSize,
                     Runnable turnEnd) {
        this.driver = driver;
        this.opener = opener;
        this.prefix = prefix;
        this.readBufferSize = readBufferSize;
        this.turnEnd = turnEnd;
    }

    ConnectionDriver driver() {
        return driver;
    }

    /** The connection's thread, once started. */
    Thread thread() {
        return thread;
    }

    /** Waits up to {@code nanos} for {@link #run} to return, if it started. */
    void awaitRun(long nanos) throws InterruptedException {
        if (thread != null) {
            ran.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Runs the connection to its end on the calling thread. */
    void run() {
        thread = Thread.currentThread();
        try {
            if (driver.side() == ws.protocol.Side.SERVER) {
                driver.handshakeStarts(); // the TCP connection was accepted: a layer's handshake counts too
            }
            Wire wire;
            try {
                wire = opener.open(driver);
            } catch (IOException | RuntimeException e) {
                driver.openFailed(e);
                return;
            }
            ByteBuffer early = prefix;
            prefix = null; // an idle connection keeps nothing of its request's bytes
            driver.start(wire, early);
            readLoop(wire);
        } catch (RuntimeException | Error e) {
            driver.abortWith(new ws.protocol.CloseStatus(ws.protocol.CloseCodes.ABNORMAL_CLOSURE, "", e));
            throw e;
        } finally {
            try {
                driver.finish();
            } finally {
                ran.countDown();
            }
        }
    }

    private void readLoop(Wire wire) {
        ReadBuffers buffers = new ReadBuffers(readBufferSize);
        try {
            boolean burst = false; // the last read was larger than the resident buffer
            // a reader writes its answers itself, so after a burst the peer's next one may be there
            // already: a virtual reader looks for it without waiting; a platform reader's blocking
            // read tries the socket before it waits anyway (the descriptor is non-blocking underneath
            // once the hand-off writer has written), so a look there would be a second read for nothing
            boolean lookAfterBurst = Thread.currentThread().isVirtual();
            while (true) {
                ByteBuffer buffer = buffers.current();
                int n = 0;
                if (burst && lookAfterBurst && buffers.canEnlarge(buffer)) {
                    // after a burst the next one often waits already (a peer keeping messages in
                    // flight): read what is there whole into a full-size buffer, without waiting
                    buffer = buffers.enlarge();
                    n = wire.readNow(buffer);
                    if (n == 0) {
                        buffers.release(); // nothing yet: wait in the resident buffer
                        buffer = buffers.current();
                    }
                }
                if (n == 0) {
                    n = wire.read(buffer);
                }
                if (n < 0) {
                    driver.receiveEof();
                    return;
                }
                if (n > 0) {
                    if (buffers.filledSmall(buffer)) {
                        // the rest of the burst may be waiting: read what is there now into a full-size
                        // buffer after these bytes, so the whole burst is handled and answered at once
                        // (one write, not two); nothing there costs one read that does not wait, and
                        // an end found now is read again next time
                        buffer = buffers.enlarge();
                        wire.readNow(buffer);
                        n = buffer.position();
                    }
                    burst = n > ReadBuffers.SMALL;
                    buffer.flip();
                    driver.receive(buffer);
                    // the engine copied what it keeps: the buffer may go back to the pool
                    buffers.afterRead(n);
                    turnEnd.run();
                }
            }
        } catch (IOException e) {
            driver.readFailed(e);
        } finally {
            buffers.release();
        }
    }
}
