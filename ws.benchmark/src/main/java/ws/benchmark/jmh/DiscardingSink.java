package ws.benchmark.jmh;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import ws.protocol.driver.Sink;

/** A socket that takes every byte at once, for a connection driven with no network; counts what it took. */
final class DiscardingSink implements Sink {
    private static final SocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final SocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    /** Bytes taken so far (so that nothing written is optimised away). */
    long written;

    @Override
    public void write(java.nio.ByteBuffer[] buffers, int offset, int length) {
        tryWrite(buffers, offset, length);
    }

    @Override
    public long tryWrite(java.nio.ByteBuffer[] buffers, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += buffers[i].remaining();
            buffers[i].position(buffers[i].limit());
        }
        written += n;
        return n;
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public SocketAddress remoteAddress() {
        return PEER;
    }

    @Override
    public SocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public String describe() {
        return "embedded";
    }
}
