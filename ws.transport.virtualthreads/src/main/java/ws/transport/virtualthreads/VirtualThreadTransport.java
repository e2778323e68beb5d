package ws.transport.virtualthreads;

import java.io.IOException;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.internal.SocketTransport;
import ws.transport.blocking.internal.TransportSettings;

/**
 * WebSocket over TCP sockets with one virtual thread per connection: the loop of the blocking
 * transport, on virtual threads, so a server holds tens of thousands of connections without a
 * platform thread each.
 *
 * <p>Named {@code "virtual"}, priority 20: the default transport when installed. Choose it explicitly
 * with {@code .transport(new VirtualThreadTransport())} on the options builders, or
 * {@code -Dws.transport=virtual}.
 *
 * <p>What differs from the blocking transport: connection threads are virtual. Both read into a
 * small resident buffer per connection and borrow a full-size one from a shared pool only while bytes
 * arrive faster (see {@code ReadBuffers}), so an idle connection holds no full-size buffer. What is per
 * server stays on platform threads: a server's accept loop (not a daemon, so a running server keeps
 * the JVM alive) and its timer thread. Locks are
 * {@link java.util.concurrent.locks.ReentrantLock}s throughout, never {@code synchronized} around a
 * blocking call, so a virtual thread blocked on the network never pins its carrier.
 */
public final class VirtualThreadTransport implements Transport {
    /** The full-size read buffer, borrowed from a pool while a connection reads fast. */
    static final int READ_BUFFER = 32 << 10;
    /** The copy buffer for gathering small writes on sockets without a channel. */
    static final int GATHER_BUFFER = 8 << 10;

    private final SocketTransport delegate;

    /** The transport with virtual threads and its default buffer sizes. */
    public VirtualThreadTransport() {
        this.delegate = new SocketTransport(settings());
    }

    /** The settings of this transport: the blocking loop with a virtual-thread factory and smaller buffers. */
    static TransportSettings settings() {
        return TransportSettings.platformThreads()
                .withConnectionThreads("virtual", 20, Thread.ofVirtual().factory())
                .withBuffers(READ_BUFFER, GATHER_BUFFER, 0);
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

    @Override
    public String toString() {
        return "VirtualThreadTransport";
    }
}
