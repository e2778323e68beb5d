package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A wire over a blocking {@link SocketChannel}: reads and gathering writes go straight to the channel
 * (a single {@code writev} for a frame header and its payload), closing it wakes a blocked reader.
 */
final class ChannelWire implements Wire {
    private final SocketChannel channel;
    private final SocketAddress remote;
    private final SocketAddress local;

    ChannelWire(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        return channel.read(buffer);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length) throws IOException {
        int end = offset + length;
        int first = offset;
        while (first < end) {
            channel.write(buffers, first, end - first);
            while (first < end && !buffers[first].hasRemaining()) {
                first++;
            }
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the descriptor is released either way
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
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
        return local + " <-> " + remote;
    }
}
