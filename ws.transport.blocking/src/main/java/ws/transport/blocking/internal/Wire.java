package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The byte pipe under one connection: a socket channel, or a plain (possibly TLS) socket's streams.
 * One thread reads while another writes; {@link #close()} from any thread wakes both. Public (in a
 * package exported only to friends) so that ws.testkit can run the loop over in-memory wires.
 */
public interface Wire {

    /**
     * Reads some bytes into {@code buffer}, blocking until at least one arrives.
     *
     * @return the number of bytes read, or -1 at the end of input
     */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes every remaining byte of {@code buffers} (a gathering write where the wire allows it). */
    void write(ByteBuffer[] buffers, int offset, int length) throws IOException;

    /**
     * Writes what the connection takes now of {@code buffers}, without waiting for the network
     * (advancing their positions), for a thread that must not block: the reader.
     *
     * @return the number of bytes written (0 when the socket's buffer is full), or -1 when this wire
     *         has no way to write without blocking (then nothing was written)
     */
    default long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
        return -1;
    }

    /** Sends FIN after the bytes written so far; reading goes on. */
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

    /** The TLS session, once its handshake is done, when this wire runs over TLS. */
    default java.util.Optional<javax.net.ssl.SSLSession> tlsSession() {
        return java.util.Optional.empty();
    }
}
