package ws.protocol.driver;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * What a {@link ConnectionDriver} asks of its transport: write bytes, end the output, close. The
 * transport's own loop reads and hands the bytes to the driver; everything else (when to write, what
 * first, when to half-close and to close) is the driver's decision.
 *
 * <p>Writes come from one writer at a time (the driver serializes them); {@link #close()} may come from
 * any thread and must wake a blocked read or write.
 *
 * <p>What a write reports written is done with when it returns: sent, or copied (into the kernel's
 * socket buffer, a TLS record, a test's record). The driver then writes later frames over that memory,
 * so a sink must not keep the buffers it was given to read them afterwards.
 */
public interface Sink {

    /** Writes every remaining byte of {@code buffers} (a gathering write where possible), blocking as needed. */
    void write(ByteBuffer[] buffers, int offset, int length) throws IOException;

    /**
     * Writes what the connection takes now without waiting for the network, advancing the buffers'
     * positions: for the reading thread, which must never block on the network.
     *
     * @return the number of bytes written (0 when full), or -1 when this sink cannot write without
     *         blocking (then nothing was written, and the driver hands its writes off from now on)
     */
    default long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
        return -1;
    }

    /** Ends the output after the bytes written so far (TCP FIN); reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes the connection; a blocked read or write fails at once. Idempotent, never throws. */
    void close();

    /** Whether {@link #close()} has not been called (nor the connection otherwise closed). */
    boolean isOpen();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** This end's address. */
    SocketAddress localAddress();

    /** A short description for logs. */
    String describe();

    /** The TLS session, once its handshake is done, when this connection runs over TLS. */
    default Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }
}
