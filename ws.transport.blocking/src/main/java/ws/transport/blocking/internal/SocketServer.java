package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.api.ServerOptions;
import ws.transport.stream.StreamServer;
import ws.transport.stream.Timers;
import ws.transport.stream.Wire;

/**
 * The socket half of a server: the listening channel and its accept loop on a platform thread of its
 * own (not a daemon: a running server keeps the JVM alive until it is closed), and sockets taken over
 * from elsewhere ({@link #handleUpgrade}). Each accepted socket becomes a wire (its channel, or the
 * transport's layer around it, made on the connection's own thread) handed to the
 * {@link StreamServer}, which runs everything else.
 */
public final class SocketServer implements StreamServer.Acceptor {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final TransportSettings settings;
    private final ServerSocketChannel channel;
    private final StreamServer server;
    private final Thread acceptThread;

    private SocketServer(ServerOptions options, TransportSettings settings, ServerSocketChannel channel)
            throws IOException {
        this.settings = settings;
        this.channel = channel;
        InetSocketAddress address = channel == null ? null : (InetSocketAddress) channel.getLocalAddress();
        String owner = settings.name() + "-" + (address == null ? "unbound" : address.getPort());
        this.server = StreamServer.create(options, settings.stream(), Timers.system(owner), address);
        server.onShutdown(this);
        this.acceptThread = channel == null ? null
                : Thread.ofPlatform().daemon(false).name("ws-accept-" + address.getPort()).unstarted(this::acceptLoop);
    }

    /** Binds (unless the port is -1) and starts accepting; the server is what users hold. */
    public static StreamServer start(ServerOptions options, TransportSettings settings) throws IOException {
        ServerSocketChannel channel = null;
        if (options.port() >= 0) {
            channel = ServerSocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (settings.socketBufferSize() > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, settings.socketBufferSize());
                }
                channel.bind(new InetSocketAddress(options.host(), options.port()), options.backlog());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        SocketServer sockets = new SocketServer(options, settings, channel);
        if (sockets.acceptThread != null) {
            sockets.acceptThread.start();
        }
        LOG.debug("server listening on {} ({} transport)", sockets.server.address(), settings.name());
        return sockets.server;
    }

    /** The socket half of {@code server}, when a socket transport started it. */
    public static java.util.Optional<SocketServer> of(ws.protocol.api.WebSocketServer server) {
        return server instanceof StreamServer stream && stream.acceptor() instanceof SocketServer sockets
                ? java.util.Optional.of(sockets) : java.util.Optional.empty();
    }

    private void acceptLoop() {
        while (!server.isStopping()) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (ClosedChannelException closed) {
                break;
            } catch (IOException e) {
                if (server.isStopping()) {
                    break;
                }
                // out of descriptors, say: log and back off briefly instead of spinning
                LOG.warn("accept on {} failed: {}", server.address(), e.toString());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    break;
                }
                continue;
            }
            try {
                // a plain connection sets TCP_NODELAY at its second write (ChannelWire), a layered one now
                configure(accepted.socket(), settings, settings.layer().accept() != null);
                server.accept(accepted, () -> open(accepted), null);
            } catch (IOException | RuntimeException e) {
                LOG.debug("dropping an accepted connection: {}", e.toString());
                closeQuietly(accepted);
            }
        }
        LOG.debug("accept loop on {} ended", server.address());
    }

    /** Sets TCP_NODELAY and the buffer sizes of {@code socket}. */
    static void configure(Socket socket, TransportSettings settings) throws IOException {
        configure(socket, settings, true);
    }

    /** Sets the buffer sizes of {@code socket}, and TCP_NODELAY if {@code noDelay}. */
    static void configure(Socket socket, TransportSettings settings, boolean noDelay) throws IOException {
        if (noDelay) {
            socket.setTcpNoDelay(true);
        }
        if (settings.socketBufferSize() > 0) {
            socket.setSendBufferSize(settings.socketBufferSize());
            socket.setReceiveBufferSize(settings.socketBufferSize());
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /**
     * The wire of an accepted channel, on the connection's own thread: the channel itself, the wire
     * the transport's layer makes over the channel ({@link ChannelAcceptLayer}: TLS), or the layer wrapped around its socket (a user's {@code AcceptLayer}), its
     * handshake within the handshake timeout.
     */
    private Wire open(SocketChannel accepted) throws IOException {
        ws.transport.blocking.layer.AcceptLayer layer = settings.layer().accept();
        if (layer == null) {
            return new ChannelWire(accepted, true); // TCP_NODELAY at its second write
        }
        if (layer instanceof ChannelAcceptLayer channelLayer) {
            // the reader writes its own answers over TLS, on platform threads too: over an SSLSocket every
            // answer waits for a hand-off writer, and a steady load from a quarter of Netty's rate on
            // stalled for seconds (docs/performance.md, "The blocking transport over wss://")
            return channelLayer.open(accepted);
        }
        Socket wrapped = layer.wrap(accepted.socket());
        return wrapped == accepted.socket() ? new ChannelWire(accepted) : new StreamWire(wrapped, settings.gatherBufferSize());
    }

    /**
     * Takes over a socket accepted elsewhere, as it is: the transport's layer is not applied (hand
     * over an {@code SSLSocket} for TLS), and {@code alreadyRead} are bytes of its stream. See
     * {@link ws.transport.blocking.BlockingTransport#handleUpgrade}.
     */
    public void handleUpgrade(Socket socket, ByteBuffer alreadyRead) {
        if (server.isStopping()) {
            closeQuietly(socket);
            throw new IllegalStateException("the server is shut down");
        }
        ByteBuffer prefix = null;
        if (alreadyRead != null && alreadyRead.hasRemaining()) {
            prefix = ByteBuffer.allocate(alreadyRead.remaining()).put(alreadyRead).flip();
        }
        Wire wire;
        try {
            configure(socket, settings);
            SocketChannel socketChannel = socket.getChannel();
            if (socketChannel != null) {
                // the connection is ours now and runs blocking on its own thread
                socketChannel.configureBlocking(true);
                wire = new ChannelWire(socketChannel);
            } else {
                wire = new StreamWire(socket, settings.gatherBufferSize());
            }
        } catch (IOException e) {
            closeQuietly(socket);
            throw new java.io.UncheckedIOException("cannot take over " + socket, e);
        } catch (java.nio.channels.IllegalBlockingModeException e) {
            closeQuietly(socket);
            throw new IllegalArgumentException("cannot take over " + socket
                    + ": its channel is registered with a selector; cancel the key first", e);
        }
        server.accept(socket, () -> wire, prefix);
    }

    @Override
    public void stopAccepting() {
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    @Override
    public void awaitStopped() throws InterruptedException {
        if (acceptThread != null) {
            acceptThread.join();
        }
    }
}
