package ws.protocol.driver;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import ws.protocol.PreparedMessage;
import ws.protocol.api.WebSocket;

/**
 * A server's registry of open connections (opening handshake done, not yet ended), by id, and the
 * broadcast over it: what every transport's {@link ws.protocol.api.WebSocketServer} answers with.
 * Thread-safe.
 */
public final class OpenConnections {
    private final ConcurrentHashMap<String, ConnectionDriver> open = new ConcurrentHashMap<>();
    private final DriverLogger log;

    /** An empty registry that logs a failing broadcast filter to {@code log}. */
    public OpenConnections(DriverLogger log) {
        this.log = java.util.Objects.requireNonNull(log, "log");
    }

    /** The connection opened ({@link ConnectionHost#opened}). */
    public void add(ConnectionDriver connection) {
        open.put(connection.id(), connection);
    }

    /** The connection ended ({@link ConnectionHost#ended}). */
    public void remove(ConnectionDriver connection) {
        open.remove(connection.id());
    }

    /** A snapshot of the open connections' drivers. */
    public List<ConnectionDriver> drivers() {
        return List.copyOf(open.values());
    }

    /** A snapshot of the open connections. */
    public Collection<WebSocket> snapshot() {
        return List.copyOf(open.values());
    }

    /** The open connection with this id. */
    public Optional<WebSocket> find(String id) {
        return Optional.ofNullable(open.get(id));
    }

    /** How many connections are open. */
    public int size() {
        return open.size();
    }

    /**
     * Queues the message on every matching open connection and returns at once: the bytes are
     * written by the connections' writers, so a slow client never blocks the broadcaster. Above a
     * client's high-water mark the send fails for that client alone ({@code WAIT} counts as
     * {@code FAIL} here), or the client is dropped with 1008 under {@code CLOSE}. A filter that throws
     * skips that connection (logged).
     */
    public void broadcast(PreparedMessage message, Predicate<WebSocket> filter) {
        for (ConnectionDriver connection : open.values()) {
            boolean wanted;
            try {
                wanted = filter.test(connection);
            } catch (RuntimeException e) {
                log.warn("broadcast filter failed on {}: {}", connection.id(), e.toString());
                continue;
            }
            if (wanted) {
                connection.sendBroadcast(message);
            }
        }
    }

    /**
     * The first steps of a server's shutdown, the same on every transport: 1001 to every connection of
     * {@code connections} that is open (an abort for one still in its opening handshake), a wait of
     * up to {@code grace} for them to end, then an abort of every connection of {@code live} (read
     * after the wait) that has not ended.
     */
    public static void goAway(java.util.Collection<ConnectionDriver> connections,
                              java.util.function.Supplier<java.util.Collection<ConnectionDriver>> live,
                              java.time.Duration grace, DriverLogger log) throws InterruptedException {
        for (ConnectionDriver connection : connections) {
            connection.goingAway();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (ConnectionDriver connection : connections) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                connection.terminated().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        for (ConnectionDriver connection : List.copyOf(live.get())) {
            if (!connection.terminated().isDone()) {
                log.debug("{} did not close within {}: aborting", connection.id(), grace);
                connection.abortWith(new ws.protocol.CloseStatus(ws.protocol.CloseCodes.ABNORMAL_CLOSURE,
                        "server shut down"));
            }
        }
    }

    @Override
    public String toString() {
        return open.size() + " open";
    }
}
