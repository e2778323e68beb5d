package ws.transport.stream;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ClientConnections;
import ws.protocol.driver.ConnectionDriver;

/**
 * A client whose connections run over byte streams, one thread each: the {@link Connector} makes
 * each connection's wire on its own thread (a socket transport's TCP connect and layers, or
 * ws.testkit's in-memory pipe); the timers are shared. {@link #close()} aborts the connections still
 * running.
 */
public final class StreamClient extends StreamHost implements WebSocketClient {
    private final ClientOptions options;
    private final ClientConnections connections;
    private final Connector connector;

    /** Makes a client connection's wire. */
    public interface Connector {
        /**
         * Checks, before anything starts, that this connector can reach {@code uri} (its scheme, its
         * host), so that {@code connect} fails at once for a URI it never could.
         *
         * @throws IllegalArgumentException when it cannot
         */
        void check(URI uri);

        /**
         * Connects to what {@code uri} names, on the connection's own thread. It registers what to
         * close on an abort with {@link ConnectionDriver#connecting} before it may block, and calls
         * {@link ConnectionDriver#handshakeStarts} once a connection exists, so the handshake timeout
         * covers any handshake of its own (TLS).
         *
         * @throws IOException when nothing can be reached (a {@link java.net.ConnectException}, say)
         */
        Wire connect(URI uri, ConnectionDriver connection, ClientOptions options) throws IOException;
    }

    /** A client with these options whose connections run over the wires {@code connector} makes. */
    public StreamClient(ClientOptions options, StreamSettings settings, Timers timers, Connector connector) {
        super(settings, timers, Objects.requireNonNull(options, "options").connection(), JfrObserver.create());
        this.options = options;
        this.connector = Objects.requireNonNull(connector, "connector");
        this.connections = new ClientConnections(this, options, this::launch);
    }

    /**
     * Connects to {@code uri}; the future completes after {@code onOpen}.
     *
     * @throws IllegalArgumentException for a URI the connector cannot reach, or headers the protocol owns
     * @throws IllegalStateException    when the client is closed
     */
    @Override
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        checkUri(uri);
        return connections.connect(uri, listener);
    }

    /**
     * Connects to {@code uri} and again after each loss, as {@code policy} says; the backoff waits run
     * on this client's timers.
     *
     * @throws IllegalArgumentException for a URI the connector cannot reach
     * @throws IllegalStateException    when the client is closed
     */
    @Override
    public ReconnectingWebSocket connectReconnecting(URI uri, WebSocketListener listener, Reconnect policy) {
        checkUri(uri);
        return connections.connectReconnecting(uri, listener, policy);
    }

    private void checkUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        connector.check(uri);
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URI " + uri + " has no host");
        }
        if (connections.closed()) {
            throw new IllegalStateException("the client is closed");
        }
    }

    /** Runs one connection on a thread of its own: it connects through the connector, then reads. */
    private void launch(URI uri, ConnectionDriver connection) {
        StreamConnection running = new StreamConnection(connection,
                opening -> connector.connect(uri, opening, options), null, settings.readBufferSize());
        Thread thread = settings.connectionThreads().newThread(running::run);
        thread.setName("ws-client-" + connection.id());
        thread.start();
    }

    @Override
    public void opened(ConnectionDriver connection) {
        // clients keep no registry of open connections beyond the live set
    }

    @Override
    public void ended(ConnectionDriver connection) {
        connections.ended(connection);
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    /** Stops every reconnecting handle, aborts every connection still running and stops the timers. */
    @Override
    public void close() {
        connections.closeAll();
        timers.close();
    }

    /** Connections with a running thread. */
    public int liveCount() {
        return connections.live().size();
    }

    @Override
    public String toString() {
        return "WebSocketClient[" + settings.name() + ", " + connections.live().size() + " connections]";
    }
}
