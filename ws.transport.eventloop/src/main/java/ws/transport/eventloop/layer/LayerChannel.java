package ws.transport.eventloop.layer;

import java.io.IOException;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * One connection's layer (TLS): it reads and writes the socket channel itself, never blocking. Reads
 * run on the connection's loop thread, one at a time; writes come from one writer at a time (the loop,
 * or the connection's hand-off writer), at the same time as a read: the layer keeps its own order.
 */
public interface LayerChannel {

    /**
     * Reads what the network has, runs the handshake as far as it goes, and puts the application bytes
     * into {@code dst}.
     *
     * @return the bytes put into {@code dst}; 0 when none yet (see {@link #wantsInput()}); -1 at the end
     *         of the peer's output
     * @throws IOException when reading fails or the peer breaks the protocol; during the handshake, an
     *                     exception that names why it failed
     */
    int read(java.nio.ByteBuffer dst) throws IOException;

    /**
     * Writes what the network takes now of {@code srcs}, without waiting: the bytes it takes that the
     * socket does not may wait in the layer ({@link #hasPendingOutput()}) and go first next time.
     *
     * @return the application bytes taken (0 when the socket is full)
     */
    long write(java.nio.ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Writes what waits for room in the socket, without waiting; whether nothing waits now. */
    boolean flush() throws IOException;

    /** Ends the output: the layer's end (a TLS close_notify), then the TCP FIN once both are out. */
    void shutdownOutput() throws IOException;

    /** Whether bytes wait for room in the socket (the loop then selects it for writing and calls {@link #flush()}). */
    boolean hasPendingOutput();

    /** Whether the layer reads the network now; not while it waits for a delegated task. */
    boolean wantsInput();

    /**
     * Whether another {@link #read} will give something without the network: bytes read and held, or an
     * end of input the layer has seen (a TLS close_notify unwrapped behind data) and not yet reported.
     * The selector may never announce either, so the loop reads again while this says true.
     */
    boolean hasBufferedInput();

    /**
     * Whether its last read of the network took less than it had room for, or nothing: the socket had no
     * more then, so another {@link #read} before the selector reports input would most likely find none
     * (unless {@link #hasBufferedInput()}).
     */
    boolean inputDrained();

    /** Whether the handshake is done: application bytes may pass. */
    boolean handshakeDone();

    /** The TLS session once the handshake is done. */
    Optional<SSLSession> session();

    /** The connection is closed: drop every buffer. On the loop thread. */
    void release();
}
