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
 * <p><b>Fairness.</b> On a core shared by many connections, a virtual thread leaves its carrier only
 * when it parks or yields. After each read it handled (the events dispatched, the answers written), a
 * connection on a virtual thread looks for more input with a read that does not wait. If there is
 * none, it waits in its next read, where the scheduler runs the others and the JDK's read poller
 * wakes it when bytes arrive; once woken and done with that read, it gives up its turn once
 * ({@link Thread#yield()}: behind the threads queued on its carrier, among them the others the poller
 * woke), and then reads everything that arrived meanwhile in one piece. If there is some, it handles
 * it at once; but when that happened {@link #READS_PER_TURN} times in a row (a peer that always has
 * the next bytes ready, so the connection would never park), it gives up its turn before it handles
 * the next, so it keeps the carrier for a few reads at a time, not for as long as its peer keeps
 * sending. So a connection is back in its carrier's queue only after it waited for input, or after
 * a few reads in a row.
 *
 * <p>It skips the look when the read before it emptied the socket ({@link Wire#drained()}) and the
 * connection has not given up its turn since: it has only answered those bytes, and its peer has yet to
 * read the answers, so the look would find nothing (measured at saturation: 3 looks in 1,000 found
 * bytes there, against 78 in 100 after a turn given up). It goes straight to its waiting read, which on
 * a virtual thread tries the socket once before it parks, and counts it as a read that waited. A look
 * after a turn is kept: the others ran meanwhile, and so did its peer.
 *
 * <p>Why not give up the turn after every read, which batches best (a connection reads again after
 * the others had theirs, with everything that arrived meanwhile): the JDK's scheduler runs the threads
 * queued on its carrier before anything submitted from outside it, and the wake-up of its read poller,
 * once that poller found nothing and parked, is such a submission. Connections that yielded after every
 * read, under an even load, came round again after their next bytes had arrived, never parked and kept
 * the carrier's queue full, while the connections that had parked in the poller waited, with bytes in
 * their sockets, until it ran dry: up to a second for a few connections at a time, at a quarter to
 * three quarters of the core's capacity (docs/performance.md, "The virtual transport's tail at a
 * fixed load"). A connection that yields once per wait, or when its input never stops, cannot keep that
 * queue full: it leaves it at its next dry look, and comes back only through the poller.
 *
 * <p>A wire whose look cannot see every byte that has arrived ({@link Wire#readNowSeesAll()} false: a
 * wrapped socket's streams, such as an {@code SSLSocket}'s records not yet decrypted; the virtual transport's
 * TLS servers see all) gives up its turn after every read instead, the only bound
 * it can keep. Platform threads need no turn: the operating system preempts them (a yield there would
 * cost a system call per read, and on a shared machine give the core to other processes).
 */
final class StreamConnection {
    /**
     * How many reads in a row a virtual thread handles while its input keeps arriving before it gives
     * up its turn (see the class comment). Each read takes what is waiting, up to the full-size
     * buffer, so a turn is a few milliseconds of work at most.
     */
    static final int READS_PER_TURN = 4;

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
    /** Gives up the turn (when: see the class comment). */
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
        // a reader writes its answers itself, so its peer's next bytes may be there as soon as a read is
        // handled: a virtual reader looks before it waits (see the class comment); a platform reader's
        // blocking read tries the socket before it waits anyway (the descriptor is non-blocking
        // underneath once the hand-off writer has written), so a look there would be a second read
        boolean look = Thread.currentThread().isVirtual();
        try {
            int n = 0; // bytes already read without waiting and not yet handled
            int ready = 0; // reads in a row found waiting as soon as the one before was handled
            boolean waited = false; // the last read was one that waited (parked in the poller)
            boolean turned = false; // the turn ended since the last read: bytes may have arrived meanwhile
            while (true) {
                ByteBuffer buffer = buffers.current();
                if (n == 0) {
                    n = wire.read(buffer);
                    turned = false;
                }
                if (n < 0) {
                    driver.receiveEof();
                    return;
                }
                if (n == 0) {
                    continue;
                }
                if (buffers.filledSmall(buffer)) {
                    // the rest of the burst may be waiting: read what is there now into a full-size
                    // buffer after these bytes, so the whole burst is handled and answered at once
                    // (one write, not two); nothing there costs one read that does not wait, and an
                    // end found now is read again next time
                    buffer = buffers.enlarge();
                    wire.readNow(buffer);
                    n = buffer.position();
                }
                boolean burst = n > ReadBuffers.SMALL;
                buffer.flip();
                driver.receive(buffer);
                // the engine copied what it keeps: the buffer may go back to the pool
                buffers.afterRead(n);
                if (!look) {
                    n = 0;
                } else if (wire.readNowSeesAll()) {
                    if (waited) {
                        // woken by the poller: those it woke with this one first, then what came meanwhile
                        turnEnd.run();
                        turned = true;
                    }
                    if (!turned && wire.drained()) {
                        // the read before emptied the socket and the connection kept its turn since, only
                        // answering: a look would find nothing (its peer has yet to read the answers), so
                        // it goes straight to its waiting read, which tries the socket before it parks
                        // (a read that finds bytes there at once counts as one that waited: it is rare)
                        n = 0;
                        waited = true;
                        ready = 0;
                        continue;
                    }
                    n = lookAhead(wire, buffers, burst);
                    turned = false;
                    waited = n == 0;
                    if (n > 0 && ++ready >= READS_PER_TURN) {
                        turnEnd.run(); // its peer keeps it busy: the others first, then these bytes
                        turned = true;
                        ready = 0;
                    } else if (n <= 0) {
                        ready = 0; // it waits in its next read
                    }
                } else {
                    // bytes may wait unseen (TLS records): the turn ends after every read
                    turnEnd.run();
                    n = burst ? lookAhead(wire, buffers, true) : 0;
                }
            }
        } catch (IOException e) {
            driver.readFailed(e);
        } finally {
            buffers.release();
        }
    }

    /**
     * After a read was handled: reads what is there already, without
     * waiting; returns 0 if nothing is, and the next read waits. After a burst it reads into a
     * full-size buffer (the next burst is often there already, whole), else into the resident one.
     *
     * @return the bytes read (in the buffer {@link ReadBuffers#current()} now returns), 0, or -1 at the end
     */
    private int lookAhead(Wire wire, ReadBuffers buffers, boolean burst) throws IOException {
        ByteBuffer buffer = buffers.current();
        boolean enlarged = burst && buffers.canEnlarge(buffer);
        if (enlarged) {
            buffer = buffers.enlarge();
        }
        int n = wire.readNow(buffer);
        if (n == 0 && enlarged) {
            buffers.release(); // nothing yet: wait in the resident buffer
        }
        return n;
    }
}
