package ws.transport.blocking.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import ws.transport.stream.Wire;

/**
 * What every wire over a connected {@link SocketChannel} answers the same way: its addresses, whether
 * it is open, closing it (which wakes a blocked reader and writer), and the count of bytes waiting in
 * the socket. The plain {@link ChannelWire} and the TLS wire of ws.transport.tls extend it.
 */
public abstract class AbstractChannelWire implements Wire {
    /** The connection's channel. */
    protected final SocketChannel channel;
    private final SocketAddress remote;
    private final SocketAddress local;
    /** The socket's input stream, for {@link #available}; made on first use. */
    private InputStream availability;

    /** @param channel a connected channel */
    protected AbstractChannelWire(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
    }

    /** {@inheritDoc} Bytes waiting in the socket, one {@code ioctl(FIONREAD)}; 0 once the channel is closed (the next read says why). */
    @Override
    public int available() {
        try {
            InputStream in = availability;
            if (in == null) {
                in = channel.socket().getInputStream();
                availability = in;
            }
            return in.available();
        } catch (IOException e) {
            return 0;
        }
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
