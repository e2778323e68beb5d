package ws.transport.blocking;

import java.io.IOException;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.internal.SocketServer;
import ws.transport.blocking.internal.SocketTransport;
import ws.transport.blocking.internal.TransportSettings;

/**
 * WebSocket over TCP sockets with one platform thread per connection (daemon threads; a server's
 * accept thread is not a daemon, so a running server keeps the JVM alive until it is closed).
 *
 * <p>Named {@code "blocking"}, priority 10: the virtual-thread transport, when installed, is
 * preferred. Choose this one explicitly with {@code .transport(new BlockingTransport())} on the
 * options builders, or {@code -Dws.transport=blocking}.
 *
 * <p>Each connection's thread reads, feeds the engine under the connection's lock and dispatches
 * the events to the listener, so callbacks for one connection never run concurrently. Sends may
 * come from any thread: they call the engine under the same lock and write outside it. See
 * {@link ws.protocol.api} for the threading contract and {@link ws.protocol.api.ConnectionOptions}
 * for the timers and the backpressure policy this transport applies.
 */
public final class BlockingTransport implements Transport {
    private final SocketTransport delegate;

    /** The transport with platform threads and its default buffer sizes. */
    public BlockingTransport() {
        this.delegate = new SocketTransport(TransportSettings.platformThreads());
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public WebSocketServer startServer(ServerOptions options) throws IOException {
        return delegate.startServer(options);
    }

    @Override
    public WebSocketClient newClient(ClientOptions options) {
        return delegate.newClient(options);
    }

    /**
     * Takes over a socket accepted elsewhere (the "no server" mode: a dispatcher that owns the port
     * and hands WebSocket requests over): the request is read from it after {@code alreadyRead}
     * (bytes of it the caller already consumed; may be empty) and served as by {@code server}'s own
     * accept loop: plain HTTP exchanges, then an upgrade. Returns at once; the connection runs on
     * {@code server}'s threads. The socket is taken as it is, so hand over an {@code SSLSocket} for
     * TLS; a socket whose channel is non-blocking is switched to blocking mode.
     *
     * @param server a server started on a socket transport (blocking, virtual threads or TLS), bound
     *               to a port or to none ({@code port(-1)})
     * @throws IllegalArgumentException when {@code server} is not on a socket transport, or the socket's
     *                                  channel is registered with a selector
     * @throws IllegalStateException    when the server is shut down (the socket is closed)
     */
    public static void handleUpgrade(WebSocketServer server, java.net.Socket socket, java.nio.ByteBuffer alreadyRead) {
        if (!(server instanceof SocketServer socketServer)) {
            throw new IllegalArgumentException(server + " does not run on a socket transport");
        }
        socketServer.handleUpgrade(socket, alreadyRead);
    }

    @Override
    public String toString() {
        return "BlockingTransport";
    }
}
