package ws.testkit.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import ws.transport.stream.Wire;

/**
 * One end of an in-memory connection as the socket loop sees it: reads from one pipe, writes to the
 * other. {@link #close()} behaves as closing a socket: the peer reads the end of input, a blocked
 * read or write here fails at once.
 */
public final class PipeWire implements Wire {
    private final Pipe in;
    private final Pipe out;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private volatile boolean open = true;

    /** An end reading {@code in} and writing {@code out}. */
    public PipeWire(Pipe in, Pipe out, InetSocketAddress local, InetSocketAddress remote) {
        this.in = in;
        this.out = out;
        in.markLoopReader();
        this.local = local;
        this.remote = remote;
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        return in.read(buffer, -1);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            out.write(buffers[i]);
        }
    }

    /**
     * Takes what the pipe has room for now, never waiting: the socket loop's reader then writes
     * inline, as it does on a real non-blocking socket. -1 while a delay fault is injected.
     */
    @Override
    public long tryWrite(ByteBuffer[] buffers, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer buffer = buffers[i];
            if (!buffer.hasRemaining()) {
                continue;
            }
            int n = out.tryWrite(buffer);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (buffer.hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (!open) {
            throw new IOException("the connection is closed");
        }
        out.finish();
    }

    @Override
    public void close() {
        open = false;
        out.closeWriter();
        in.closeReader();
    }

    @Override
    public boolean isOpen() {
        return open;
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
    public String describe() {
        return "loopback " + local.getHostString() + ":" + local.getPort() + " -> " + remote.getHostString() + ":"
                + remote.getPort();
    }
}
