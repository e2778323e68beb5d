package ws.protocol.driver;

import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * What a client's {@link ws.protocol.api.WebSocketClient#connect connect} and
 * {@link ws.protocol.api.WebSocketClient#connectReconnecting connectReconnecting} do the same way on
 * every transport, around the transport's way of starting one connection: a failure to start as a
 * failed future, and the reconnecting handles, all stopped when the client closes. One per client.
 */
public final class ClientConnections {
    /** The transport's start of one connection to a URI it has checked. */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts connecting; the connection reports to {@code listener}.
         *
         * @throws IllegalStateException when the client is closed
         */
        ConnectionDriver start(URI uri, WebSocketListener listener);
    }

    private final Starter starter;
    private final Set<Reconnector> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A client's connections, each started by {@code starter}. */
    public ClientConnections(Starter starter) {
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    /**
     * Starts one connection to {@code uri}; the future completes after {@code onOpen}, or fails with
     * what stopped the start (a closed client included).
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        Objects.requireNonNull(listener, "listener");
        ConnectionDriver connection;
        try {
            connection = starter.start(uri, listener);
        } catch (RuntimeException | OutOfMemoryError e) {
            return CompletableFuture.failedFuture(e);
        }
        return connection.openFuture();
    }

    /**
     * Starts a handle that connects to {@code uri} and again after each loss, as {@code policy} says,
     * waiting on {@code scheduler}.
     *
     * @throws IllegalStateException when the client is closed
     */
    public ReconnectingWebSocket connectReconnecting(URI uri, WebSocketListener listener, Reconnect policy,
                                                     Scheduler scheduler, RandomGenerator random) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(policy, "policy");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        Reconnector[] self = new Reconnector[1];
        Reconnector handle = new Reconnector(uri, listener, policy, scheduler, random,
                attempt -> starter.start(uri, attempt), () -> running.remove(self[0]));
        self[0] = handle;
        running.add(handle);
        try {
            handle.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            running.remove(handle);
            throw e;
        }
        if (closed) {
            handle.abort();
        }
        return handle;
    }

    /** Stops every reconnecting handle for good (the client is closing); later {@link #connectReconnecting} calls throw. */
    public void closeAll() {
        closed = true;
        for (Reconnector handle : running) {
            handle.abort();
        }
    }
}
