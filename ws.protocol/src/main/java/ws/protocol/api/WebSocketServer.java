package ws.protocol.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import ws.protocol.PreparedMessage;

/**
 * A running server: its address, its open connections, broadcast, and shutdown.
 * {@link #close()} is a graceful shutdown with the close timeout as the bound.
 */
public interface WebSocketServer extends AutoCloseable {

    /** A builder for the options of a new server; its {@code start()} starts it. */
    static ServerOptions.Builder builder() {
        return new ServerOptions.Builder();
    }

    /** The options it runs with. */
    ServerOptions options();

    /** The bound address, or {@code null} when bound to nothing (port -1). */
    InetSocketAddress address();

    /** The bound port, or -1. */
    default int port() {
        InetSocketAddress address = address();
        return address == null ? -1 : address.getPort();
    }

    /**
     * The open connections (a snapshot). A connection leaves when it ends, before its
     * {@link WebSocketListener#onClose} runs.
     */
    Collection<WebSocket> connections();

    /** The open connection with this id. */
    Optional<WebSocket> connection(String id);

    /**
     * The number of open connections: those whose opening handshake completed and that have not ended.
     * A connection is counted from just before its {@link WebSocketListener#onOpen} and no longer from
     * just before its {@link WebSocketListener#onClose}.
     */
    int connectionCount();

    /**
     * The server's counters since it started: connections, messages and bytes in and out, refused
     * handshakes, protocol violations, backpressure events. Cheap enough to poll; the same figures
     * are JFR events ({@code ws.*}) and, with {@link ServerOptions.Builder#jmx(boolean)}, an MXBean.
     */
    ServerMetrics metrics();

    /** Sends {@code message} to every open connection, encoding it once. */
    default void broadcast(PreparedMessage message) {
        broadcast(message, webSocket -> true);
    }

    /** Sends {@code message} to every open connection that {@code filter} accepts, encoding it once. */
    void broadcast(PreparedMessage message, Predicate<WebSocket> filter);

    /**
     * Stops accepting, sends 1001 to every connection, waits up to {@code grace} for them to close,
     * then aborts those left. The future completes when every connection and thread is gone.
     */
    CompletableFuture<Void> shutdown(Duration grace);

    /** Graceful shutdown bounded by the close timeout; returns when done. */
    @Override
    void close();
}
