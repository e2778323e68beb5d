package ws.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw server on a {@link Loopback}: clients of the network connect to its port, and the test takes
 * each connection as a server-role {@link RawPeer} with {@link #accept(Duration)}, to script what a
 * client under test meets (a bad handshake response, invalid frames, a server that never answers).
 */
public final class RawListener implements AutoCloseable {
    private final Loopback network;
    private final int port;
    private final LinkedBlockingQueue<Link> pending = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    RawListener(Loopback network, int port) {
        this.network = network;
        this.port = port;
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    /** {@code ws://loopback:<port><path>}. */
    public URI uri(String path) {
        return network.uri(port, path);
    }

    /** The next connection, as a server-role raw peer with the default seed. */
    public RawPeer accept(Duration timeout) {
        return accept(timeout, RawPeer.DEFAULT_SEED);
    }

    /**
     * The next connection, as a server-role raw peer.
     *
     * @throws AssertionError when no client connects within {@code timeout}
     */
    public RawPeer accept(Duration timeout, long seed) {
        Link link;
        try {
            link = pending.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a connection on " + Loopback.HOST + ":" + port, e);
        }
        if (link == null) {
            throw new AssertionError("no client connected to " + Loopback.HOST + ":" + port + " within " + timeout);
        }
        return network.rawServerPeer(link, seed);
    }

    void offer(Link link) {
        if (closed) {
            link.drop();
            return;
        }
        pending.add(link);
    }

    /** Stops listening; connections not accepted are dropped. */
    @Override
    public void close() {
        closed = true;
        network.unbind(port, this);
        Link link;
        while ((link = pending.poll()) != null) {
            link.drop();
        }
    }

    @Override
    public String toString() {
        return "RawListener[" + Loopback.HOST + ":" + port + "]";
    }
}
