package ws.transport.blocking.internal;

import ws.transport.stream.Wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A wire over a {@link Socket}'s streams, for sockets without a channel (accepted elsewhere and
 * handed to {@code handleUpgrade}, or TLS sockets). Small buffers are gathered into one copy so a
 * frame header and a short payload leave in one write; large payloads are written as they are.
 */
final class StreamWire implements Wire {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] gather;

    StreamWire(Socket socket, int gatherSize) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.gather = new byte[gatherSize];
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        int n;
        if (buffer.hasArray()) {
            n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (n > 0) {
                buffer.position(buffer.position() + n);
            }
        } else {
            byte[] bytes = new byte[Math.min(buffer.remaining(), 16 << 10)];
            n = in.read(bytes);
            if (n > 0) {
                buffer.put(bytes, 0, n);
            }
        }
        return n;
    }

    /** {@inheritDoc} What the stream holds or the socket has received; 0 once it is closed (the next read says why). */
    @Override
    public int available() {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        int filled = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer buffer = buffers[i];
            int remaining = buffer.remaining();
            if (remaining <= gather.length - filled) {
                buffer.get(gather, filled, remaining);
                filled += remaining;
                continue;
            }
            if (filled > 0) {
                out.write(gather, 0, filled);
                filled = 0;
            }
            if (remaining <= gather.length) {
                buffer.get(gather, 0, remaining);
                filled = remaining;
            } else if (buffer.hasArray()) {
                out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), remaining);
                buffer.position(buffer.limit());
            } else {
                while (buffer.hasRemaining()) {
                    int chunk = Math.min(buffer.remaining(), gather.length);
                    buffer.get(gather, 0, chunk);
                    out.write(gather, 0, chunk);
                }
            }
        }
        if (filled > 0) {
            out.write(gather, 0, filled);
        }
        out.flush();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> tlsSession() {
        return socket instanceof javax.net.ssl.SSLSocket ssl ? java.util.Optional.of(ssl.getSession())
                : java.util.Optional.empty();
    }

    @Override
    public String describe() {
        return socket.getLocalSocketAddress() + " <-> " + socket.getRemoteSocketAddress();
    }
}
