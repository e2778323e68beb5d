package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A server wire whose {@link SocketLayer} (TLS) is applied lazily, on the connection's own thread, by
 * the first read or write: the accept thread only wraps the accepted socket in this object and so
 * never waits on a peer. Until then, closing it closes the TCP socket, which fails a layer handshake
 * in progress at once (that is how the handshake timer bounds it).
 */
final class LayeredWire implements Wire {
    private final Socket plain;
    private final SocketLayer layer;
    private final Duration timeout;
    private final int gatherSize;
    private final SocketAddress remote;
    private final SocketAddress local;
    private final ReentrantLock opening = new ReentrantLock();
    private volatile StreamWire inner;
    private volatile Socket layered;
    private volatile IOException failure;
    private volatile boolean closed;

    LayeredWire(Socket plain, SocketLayer layer, Duration timeout, int gatherSize) {
        this.plain = plain;
        this.layer = layer;
        this.timeout = timeout;
        this.gatherSize = gatherSize;
        this.remote = plain.getRemoteSocketAddress();
        this.local = plain.getLocalSocketAddress();
    }

    private StreamWire open() throws IOException {
        StreamWire wire = inner;
        if (wire != null) {
            return wire;
        }
        opening.lock();
        try {
            if (inner != null) {
                return inner;
            }
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                throw new java.net.SocketException("connection " + describe() + " closed before its "
                        + "layer handshake");
            }
            try {
                Socket socket = layer.serverSide(plain, timeout);
                layered = socket;
                inner = new StreamWire(socket, gatherSize);
                if (closed) {
                    close();
                }
                return inner;
            } catch (IOException e) {
                failure = e;
                close();
                throw e;
            }
        } finally {
            opening.unlock();
        }
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        return open().read(buffer);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        open().write(buffers, offset, length);
    }

    @Override
    public void shutdownOutput() throws IOException {
        open().shutdownOutput();
    }

    /**
     * Closes the TCP socket first, so that nothing stays blocked (a TLS close may otherwise wait
     * on a stalled writer), then the layered socket.
     */
    @Override
    public void close() {
        closed = true;
        try {
            plain.close();
        } catch (IOException ignored) {
            // best effort: the descriptor is released either way
        }
        Socket socket = layered;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the TCP socket is already closed: a close_notify cannot be sent, which is fine
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && !plain.isClosed();
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
        return layered instanceof SSLSocket ssl ? Optional.of(ssl.getSession()) : Optional.empty();
    }

    @Override
    public String describe() {
        return local + " <-> " + remote + (layered instanceof SSLSocket ? " (TLS)" : "");
    }
}
