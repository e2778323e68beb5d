package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The byte pipe under one connection: a socket channel, or a plain (possibly TLS) socket's streams.
 * One thread reads while another writes; {@link #close()} from any thread wakes both.
 */
interface Wire {

    /**
     * Reads some bytes into {@code buffer}, blocking until at least one arrives.
     *
     * @return the number of bytes read, or -1 at the end of input
     */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes every remaining byte of {@code buffers} (a gathering write where the wire allows it). */
    void write(ByteBuffer[] buffers, int offset, int length) throws IOException;

    /** Sends FIN after the bytes written so far; reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes the connection; a blocked read or write fails at once. Idempotent, never throws. */
    void close();

    boolean isOpen();

    SocketAddress remoteAddress();

    SocketAddress localAddress();

    /** A short description for logs. */
    String describe();
}
