package ws.protocol.driver;

import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * A client's reconnecting handles: starts them (the client's
 * {@link ws.protocol.api.WebSocketClient#connectReconnecting}) and stops them all when the client
 * closes. One per client, whatever its transport.
 */
public final class Reconnectors {
    private final Set<Reconnector> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Starts a handle that connects to {@code uri} through {@code connector} and again after each
     * loss, as {@code policy} says, waiting on {@code scheduler}.
     *
     * @throws IllegalStateException when the client is closed
     */
    public ReconnectingWebSocket start(URI uri, WebSocketListener listener, Reconnect policy, Scheduler scheduler,
                                       RandomGenerator random, Reconnector.Connector connector) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(policy, "policy");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        Reconnector[] self = new Reconnector[1];
        Reconnector handle = new Reconnector(uri, listener, policy, scheduler, random, connector,
                () -> running.remove(self[0]));
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

    /** Stops every handle for good (the client is closing); later {@link #start} calls throw. */
    public void closeAll() {
        closed = true;
        for (Reconnector handle : running) {
            handle.abort();
        }
    }
}
