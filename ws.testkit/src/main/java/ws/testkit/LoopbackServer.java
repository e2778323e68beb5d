package ws.testkit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import ws.protocol.PreparedMessage;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketServer;
import ws.transport.stream.StreamServer;

/** A loopback server: the socket loop's server, which leaves the network's port table when it stops. */
final class LoopbackServer implements WebSocketServer {
    private final StreamServer delegate;
    private final Runnable unbind;

    LoopbackServer(StreamServer delegate, Runnable unbind) {
        this.delegate = delegate;
        this.unbind = unbind;
    }

    StreamServer delegate() {
        return delegate;
    }

    @Override
    public ServerOptions options() {
        return delegate.options();
    }

    @Override
    public InetSocketAddress address() {
        return delegate.address();
    }

    @Override
    public Collection<WebSocket> connections() {
        return delegate.connections();
    }

    @Override
    public Optional<WebSocket> connection(String id) {
        return delegate.connection(id);
    }

    @Override
    public int connectionCount() {
        return delegate.connectionCount();
    }

    @Override
    public ws.protocol.api.ServerMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public void broadcast(PreparedMessage message, Predicate<WebSocket> filter) {
        delegate.broadcast(message, filter);
    }

    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        unbind.run();
        return delegate.shutdown(grace);
    }

    @Override
    public void close() {
        unbind.run();
        delegate.close();
    }

    @Override
    public String toString() {
        return "WebSocketServer[loopback, " + address() + ", " + connectionCount() + " open]";
    }
}
