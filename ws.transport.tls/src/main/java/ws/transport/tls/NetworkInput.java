package ws.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import ws.transport.blocking.internal.LayeredInput;

/**
 * The network bytes of a server's TLS socket, as its {@code SSLSocket} reads them: the first byte the
 * layer read to tell TLS from plain HTTP, then the TCP socket's stream. It is the {@code consumed}
 * stream of {@link javax.net.ssl.SSLSocketFactory#createSocket(java.net.Socket, InputStream, boolean)},
 * which the socket reads until its end, and it ends only with the TCP stream, so every record passes
 * through here.
 *
 * <p>That lets a reader look without waiting ({@link LayeredInput}): an {@code SSLSocket} counts only
 * the bytes it has decrypted, but here a {@code FIONREAD} sees the records that arrived, and a read
 * that would wait for more can time out at once, as a socket's read timeout would; the {@code
 * SSLSocket} keeps what it read of a record then, and goes on with it in its next read (the contract
 * of {@link java.net.Socket#setSoTimeout}: after a timeout the socket is still valid).
 */
final class NetworkInput extends InputStream implements LayeredInput {
    private final InputStream tcp;
    /** The byte read before the TLS socket existed, or -1 once it has been read. */
    private int first;
    /** The thread whose reads time out at once instead of waiting ({@link #timeOutAtOnce}), or null. */
    private Thread noWait;
    /** Bytes the TCP stream was last seen to hold and not read since, while {@link #noWait} is on. */
    private int known;

    NetworkInput(int first, InputStream tcp) {
        this.first = first;
        this.tcp = tcp;
    }

    @Override
    public boolean arrived() throws IOException {
        known = first >= 0 ? 1 : tcp.available();
        return known > 0;
    }

    @Override
    public void timeOutAtOnce(boolean on) {
        noWait = on ? Thread.currentThread() : null;
        if (!on) {
            known = 0;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (first >= 0) {
            b[off] = (byte) first;
            first = -1;
            return 1;
        }
        if (noWait != null && noWait == Thread.currentThread()) {
            if (known <= 0) {
                known = tcp.available();
            }
            if (known <= 0) {
                throw new NotYet();
            }
            int n = tcp.read(b, off, len);
            known -= Math.max(n, 0);
            return n;
        }
        return tcp.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return first >= 0 ? 1 + tcp.available() : tcp.available();
    }

    /** Nothing to close: the TLS socket closes the TCP socket (this ends with it). */
    @Override
    public void close() {
    }

    /** A read that would have waited (no stack trace: it is how a look says "nothing yet", not a failure). */
    private static final class NotYet extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        NotYet() {
            super("no complete TLS record has arrived yet");
        }

        @Override
        public Throwable fillInStackTrace() {
            return this;
        }
    }
}
