package ws.protocol.driver;

import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.engine.ClientProtocol;

/**
 * What a client's {@link ws.protocol.api.WebSocketClient#connect connect},
 * {@link ws.protocol.api.WebSocketClient#connectReconnecting connectReconnecting} and
 * {@link ws.protocol.api.WebSocketClient#close close} do the same way on every transport, around the
 * transport's way of moving one connection's bytes ({@link Launcher}): each connection's engine and
 * driver, the set of connections still running, a failure to start as a failed future, and the
 * reconnecting handles; closing stops the handles and aborts every connection. One per client.
 */
public final class ClientConnections {
    /** The transport's part: gets one connection's bytes moving (a thread, a loop). */
    @FunctionalInterface
    public interface Launcher {
        /**
         * Starts connecting {@code connection}, a new client driver, to {@code uri}, which the client
         * has checked; returns at once.
         */
        void launch(URI uri, ConnectionDriver connection);
    }

    private final ConnectionHost host;
    private final ClientOptions options;
    private final Launcher launcher;
    private final Set<ConnectionDriver> live = ConcurrentHashMap.newKeySet();
    private final Set<Reconnector> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** The connections of the client {@code host}, with these options, each launched by {@code launcher}. */
    public ClientConnections(ConnectionHost host, ClientOptions options, Launcher launcher) {
        this.host = Objects.requireNonNull(host, "host");
        this.options = Objects.requireNonNull(options, "options");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    /**
     * Starts one connection to {@code uri}; the future completes after {@code onOpen}, or fails with
     * what stopped the start (a closed client included).
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketListener listener) {
        Objects.requireNonNull(listener, "listener");
        ConnectionDriver connection;
        try {
            connection = start(uri, listener);
        } catch (RuntimeException | OutOfMemoryError e) {
            return CompletableFuture.failedFuture(e);
        }
        return connection.openFuture();
    }

    /**
     * Starts a handle that connects to {@code uri} and again after each loss, as {@code policy} says,
     * waiting on the host's {@link ConnectionHost#scheduler scheduler}, its backoff jittered by the
     * options' {@link ws.protocol.api.ConnectionOptions#random random} source.
     *
     * @throws IllegalStateException when the client is closed
     */
    public ReconnectingWebSocket connectReconnecting(URI uri, WebSocketListener listener, Reconnect policy) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(policy, "policy");
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        Reconnector[] self = new Reconnector[1];
        Reconnector handle = new Reconnector(uri, listener, policy, host.scheduler(),
                options.connection().random(),
                attempt -> start(uri, attempt), () -> running.remove(self[0]));
        self[0] = handle;
        track(running, handle, handle::start);
        return handle;
    }

    /**
     * Starts one connection: its engine and driver, then the transport's launch.
     *
     * @throws IllegalStateException when the client is closed
     */
    private ConnectionDriver start(URI uri, WebSocketListener listener) {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        ClientProtocol engine = ClientProtocol.create(host.protocolConfig(), uri,
                options.subprotocols(), options.headers());
        ConnectionDriver connection = ConnectionDriver.client(host, engine, listener);
        track(live, connection, () -> launcher.launch(uri, connection));
        return connection;
    }

    /**
     * Starts {@code started} as one of {@code tracked} (added first, so that a {@link #closeAll}
     * meanwhile finds it), forgets it if it fails to start, and aborts it if the client closed while
     * it started.
     */
    private <T extends WebSocket> void track(Set<T> tracked, T started, Runnable start) {
        tracked.add(started);
        try {
            start.run();
        } catch (RuntimeException | OutOfMemoryError e) {
            tracked.remove(started);
            throw e;
        }
        if (closed) {
            started.abort();
        }
    }

    /** A connection ended (the client's {@link ConnectionHost#ended}): it is no longer running. */
    public void ended(ConnectionDriver connection) {
        live.remove(connection);
    }

    /** Whether {@link #closeAll} was called. */
    public boolean closed() {
        return closed;
    }

    /** The connections still running, a live view. */
    public Collection<ConnectionDriver> live() {
        return Collections.unmodifiableSet(live);
    }

    /**
     * The client closes: stops every reconnecting handle for good and aborts every connection still
     * running (1006, "client closed"); later connects fail.
     */
    public void closeAll() {
        closed = true;
        for (Reconnector handle : running) {
            handle.abort();
        }
        for (ConnectionDriver connection : live) {
            connection.abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "client closed"));
        }
    }
}
