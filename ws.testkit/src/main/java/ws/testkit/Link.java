package ws.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import ws.testkit.internal.Pipe;
import ws.testkit.internal.PipeWire;

/**
 * One in-memory connection between a client and a server of a {@link Loopback}: two bounded pipes,
 * one per direction, and the faults of a broken network. Find it with {@link Loopback#link} (from
 * either side's {@code WebSocket}), {@link Loopback#links()}, or set faults on every new connection
 * before its first byte with {@link Loopback#onNewLink}.
 */
public final class Link {
    /** Bytes in flight per direction before a writer blocks, as a socket's buffers would hold. */
    static final int CAPACITY = 256 << 10;

    private final java.util.concurrent.atomic.AtomicReference<IOException> reset =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Pipe toServer = new Pipe(CAPACITY, reset);
    private final Pipe toClient = new Pipe(CAPACITY, reset);
    private final InetSocketAddress clientAddress;
    private final InetSocketAddress serverAddress;
    private final Flow toServerFlow;
    private final Flow toClientFlow;

    Link(InetSocketAddress clientAddress, InetSocketAddress serverAddress) {
        this.clientAddress = clientAddress;
        this.serverAddress = serverAddress;
        this.toServerFlow = new Flow(toServer, clientPort() + "->" + serverAddress.getPort());
        this.toClientFlow = new Flow(toClient, serverAddress.getPort() + "->" + clientPort());
    }

    private int clientPort() {
        return clientAddress.getPort();
    }

    /** Bytes from the client to the server. */
    public Flow toServer() {
        return toServerFlow;
    }

    /** Bytes from the server to the client. */
    public Flow toClient() {
        return toClientFlow;
    }

    /** The client end's address ({@code loopback:port}, unique per link). */
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /** The server's address. */
    public InetSocketAddress serverAddress() {
        return serverAddress;
    }

    /**
     * Drops the connection without a close frame, as a reset or a pulled cable: both ends' reads and
     * writes fail at once with an {@code IOException}, and bytes in flight are lost.
     */
    public void drop() {
        IOException error = new IOException("connection reset (Link.drop(): dropped without a close frame)");
        // both directions fail from this instant: neither end can see a clean FIN the other sends on failing
        reset.compareAndSet(null, error);
        toServer.reset(error);
        toClient.reset(error);
    }

    /** Whether both directions are shut (FIN, reset or closed). */
    public boolean isClosed() {
        return toServer.isShut() && toClient.isShut();
    }

    boolean isSettled() {
        return toServer.isSettled() && toClient.isSettled();
    }

    /** Writers blocked on this link's pipes, waiting for room. */
    int blockedWriters() {
        return toServer.waitingWriters() + toClient.waitingWriters();
    }

    PipeWire clientWire() {
        return new PipeWire(toClient, toServer, clientAddress, serverAddress);
    }

    PipeWire serverWire() {
        return new PipeWire(toServer, toClient, serverAddress, clientAddress);
    }

    Pipe clientIn() {
        return toClient;
    }

    Pipe serverIn() {
        return toServer;
    }

    Pipe clientOut() {
        return toServer;
    }

    Pipe serverOut() {
        return toClient;
    }

    @Override
    public String toString() {
        return "Link[" + clientAddress.getHostString() + ":" + clientPort() + " <-> " + serverAddress.getPort() + "]";
    }
}
