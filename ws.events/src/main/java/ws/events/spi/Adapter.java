package ws.events.spi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The seam through which a namespace reaches its sockets: room membership, every broadcast (to the
 * namespace, to rooms, a single socket's emits when recovery is on), {@code fetchSockets} and the
 * room operations on many sockets, and the log that connection state recovery replays. One adapter
 * per namespace, made by an {@link AdapterFactory}.
 *
 * <p>{@link InMemoryAdapter} (the default) serves one server. A cluster adapter (Redis pub/sub,
 * wire-compatible with @socket.io/redis-adapter) extends it: it applies each operation locally
 * with {@code super} and publishes it for the other nodes, which apply it locally too; requests
 * that need answers ({@code fetchSockets}) gather them into the returned future. Nothing else in the
 * server changes. Implementations are thread-safe.
 */
public interface Adapter extends AutoCloseable {

    /**
     * Puts a local socket in rooms (its own id room included, at connect) at once.
     *
     * @return completes when broadcasts to those rooms from every node reach the socket: at once for
     *         this in-memory adapter; a cluster adapter that subscribes to a room's channel when the
     *         room gets its first local member completes it once the subscription is confirmed (and
     *         fails it if the subscription fails)
     */
    CompletableFuture<Void> addAll(String socketId, Set<String> rooms);

    /** Takes a local socket out of a room. */
    void del(String socketId, String room);

    /** Takes a local socket out of every room (it left the namespace). */
    void delAll(String socketId);

    /** A local socket's rooms, its own id included; empty when unknown. */
    Set<String> socketRooms(String socketId);

    /** The rooms with at least one local socket. */
    Set<String> rooms();

    /** The local sockets in any of {@code rooms} (every local socket when empty). */
    Set<String> sockets(Set<String> rooms);

    /** Sends an event to the sockets {@code options} select, on every node unless local. */
    void broadcast(BroadcastPacket packet, BroadcastOptions options);

    /**
     * Sends an event with an acknowledgement to the sockets {@code options} select, on every node
     * unless local (never logged for recovery). Each answer goes to {@code reply}; the future
     * completes with how many sockets it was sent to, once every node said so.
     */
    CompletableFuture<Integer> broadcastWithAck(BroadcastPacket packet, BroadcastOptions options, Duration timeout,
                                                Consumer<ArrayNode> reply);

    /** The sockets {@code options} select, on every node unless local. */
    CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options);

    /** Makes the selected sockets join rooms. */
    void addSockets(BroadcastOptions options, Set<String> rooms);

    /** Makes the selected sockets leave rooms. */
    void delSockets(BroadcastOptions options, Set<String> rooms);

    /** Disconnects the selected sockets; {@code close} also closes their connections. */
    void disconnectSockets(BroadcastOptions options, boolean close);

    /** Keeps a disconnected socket's session for recovery, for the namespace's recovery window. */
    void persistSession(PersistedSession session);

    /**
     * Finds a persisted session by its pid, if still in its window and the client's offset still in
     * the log, with the events it missed since; the session is then removed (it recovers once).
     */
    CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset);

    /** Releases what the adapter holds (subscriptions, timers). */
    @Override
    default void close() {
    }
}
