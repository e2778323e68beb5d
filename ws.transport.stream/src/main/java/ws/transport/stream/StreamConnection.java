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
    private volatile Thread thread;

    /**
     * @param prefix bytes of the connection's input already read elsewhere, or null
     */
    StreamConnection(ConnectionDriver driver, WireOpener opener, ByteBuffer prefix, int readBufferSize) {
        this.driver = driver;
        this.opener = opener;
        this.prefix = prefix;
        this.readBufferSize = readBufferSize;
    }

    ConnectionDriver driver() {
        return driver;
    }

    /** The connection's thread, once started. */
    Thread thread() {
        return thread;
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
            driver.finish();
        }
    }

    private void readLoop(Wire wire) {
        ReadBuffers buffers = new ReadBuffers(readBufferSize);
        try {
            while (true) {
                ByteBuffer buffer = buffers.current();
                int n = wire.read(buffer);
                if (n < 0) {
                    driver.receiveEof();
                    return;
                }
                if (n > 0) {
                    buffer.flip();
                    driver.receive(buffer);
                    // the engine copied what it keeps: the buffer may go back to the pool
                    buffers.afterRead(n);
                }
            }
        } catch (IOException e) {
            driver.readFailed(e);
        } finally {
            buffers.release();
        }
    }
}
