package ws.events.spi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The adapter of a single server: rooms in memory, broadcasts delivered to local sockets, and, when
 * recovery is on, a log of the events broadcast within the recovery window (each tagged with an
 * offset, appended to its arguments as socket.io 4.6 does) plus the sessions of disconnected
 * sockets. Cluster adapters extend it and call {@code super} for the local part.
 *
 * <p>One lock orders everything: a broadcast is logged and handed to every recipient's connection
 * before the next one starts, so each socket sees broadcasts in log order, which is what makes a
 * recovery replay exact.
 */
public class InMemoryAdapter implements Adapter {
    /** The most events kept for recovery by default, whatever the window. */
    public static final int DEFAULT_MAX_LOGGED = 100_000;

    private final LocalNamespace namespace;
    private final int maxLogged;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Set<String>> roomsBySocket = new HashMap<>();
    private final Map<String, Set<String>> socketsByRoom = new HashMap<>();
    // recovery
    private final String offsetPrefix;
    private long nextSequence;
    private final ArrayDeque<LoggedEvent> log = new ArrayDeque<>();
    private final Map<String, Persisted> sessions = new HashMap<>();

    private record LoggedEvent(long sequence, long atNanos, BroadcastOptions options, ArrayNode data) {
    }

    private record Persisted(PersistedSession session, long atNanos) {
    }

    /** An adapter keeping up to {@link #DEFAULT_MAX_LOGGED} events for recovery. */
    public InMemoryAdapter(LocalNamespace namespace) {
        this(namespace, DEFAULT_MAX_LOGGED);
    }

    /** An adapter keeping up to {@code maxLogged} events for recovery (the oldest go first). */
    public InMemoryAdapter(LocalNamespace namespace, int maxLogged) {
        this.namespace = namespace;
        this.maxLogged = maxLogged;
        byte[] prefix = new byte[6];
        new SecureRandom().nextBytes(prefix);
        this.offsetPrefix = java.util.HexFormat.of().formatHex(prefix) + "-";
    }

    /** The namespace this adapter serves. */
    protected LocalNamespace namespace() {
        return namespace;
    }

    @Override
    public CompletableFuture<Void> addAll(String socketId, Set<String> rooms) {
        lock.lock();
        try {
            roomsBySocket.computeIfAbsent(socketId, id -> new LinkedHashSet<>()).addAll(rooms);
            for (String room : rooms) {
                socketsByRoom.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(socketId);
            }
        } finally {
            lock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void del(String socketId, String room) {
        lock.lock();
        try {
            Set<String> rooms = roomsBySocket.get(socketId);
            if (rooms != null) {
                rooms.remove(room);
            }
            removeFromRoom(room, socketId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delAll(String socketId) {
        lock.lock();
        try {
            Set<String> rooms = roomsBySocket.remove(socketId);
            if (rooms != null) {
                for (String room : rooms) {
                    removeFromRoom(room, socketId);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void removeFromRoom(String room, String socketId) {
        Set<String> members = socketsByRoom.get(room);
        if (members != null && members.remove(socketId) && members.isEmpty()) {
            socketsByRoom.remove(room);
        }
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        lock.lock();
        try {
            Set<String> rooms = roomsBySocket.get(socketId);
            return rooms == null ? Set.of() : Set.copyOf(rooms);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<String> rooms() {
        lock.lock();
        try {
            return Set.copyOf(socketsByRoom.keySet());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<String> sockets(Set<String> rooms) {
        return Set.copyOf(selectNow(new BroadcastOptions(rooms, Set.of(), false, true)));
    }

    /** The local sockets {@code options} select, in a stable order; call under the lock. */
    private List<String> select(BroadcastOptions options) {
        List<String> selected = new ArrayList<>();
        if (options.rooms().isEmpty()) {
            for (Map.Entry<String, Set<String>> entry : roomsBySocket.entrySet()) {
                if (options.includes(entry.getValue())) {
                    selected.add(entry.getKey());
                }
            }
            return selected;
        }
        Set<String> seen = new HashSet<>();
        for (String room : options.rooms()) {
            for (String id : socketsByRoom.getOrDefault(room, Set.of())) {
                if (seen.add(id) && options.includes(roomsBySocket.getOrDefault(id, Set.of()))) {
                    selected.add(id);
                }
            }
        }
        return selected;
    }

    /** The local sockets {@code options} select, now (the lock is released when this returns). */
    private List<String> selectNow(BroadcastOptions options) {
        lock.lock();
        try {
            return select(options);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void broadcast(BroadcastPacket packet, BroadcastOptions options) {
        broadcastLogged(packet, options, null);
    }

    /**
     * Broadcasts as {@link #broadcast} does, logging the event for recovery under {@code offset}
     * when given (a cluster node delivering another node's event under that node's offset, so every
     * node tells the same offset for it), else under a new offset of this adapter.
     *
     * @return the offset the event was sent and logged with; null when not logged (volatile, or
     *         recovery off)
     */
    protected String broadcastLogged(BroadcastPacket packet, BroadcastOptions options, String offset) {
        lock.lock();
        try {
            BroadcastPacket sent = packet;
            String used = null;
            if (!options.dropIfBusy() && !namespace.recoveryWindow().isZero()) {
                long sequence = nextSequence++;
                used = offset != null ? offset : offsetPrefix + Long.toString(sequence, 36);
                sent = packet.withOffset(used);
                log.addLast(new LoggedEvent(sequence, namespace.nanoTime(), options, sent.data()));
                pruneLog();
            }
            namespace.deliver(sent, select(options), options.dropIfBusy());
            return used;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Integer> broadcastWithAck(BroadcastPacket packet, BroadcastOptions options, Duration timeout,
                                                       Consumer<ArrayNode> reply) {
        lock.lock();
        try {
            return CompletableFuture.completedFuture(
                    namespace.deliverWithAck(packet, select(options), options.dropIfBusy(), timeout, reply));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<List<SocketInfo>> fetchSockets(BroadcastOptions options) {
        List<String> ids = selectNow(options);
        List<SocketInfo> infos = new ArrayList<>(ids.size());
        for (String id : ids) {
            namespace.socketInfo(id).ifPresent(infos::add);
        }
        return CompletableFuture.completedFuture(infos);
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        lock.lock();
        try {
            for (String id : select(options)) {
                addAll(id, rooms);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        lock.lock();
        try {
            for (String id : select(options)) {
                for (String room : rooms) {
                    del(id, room);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        for (String id : selectNow(options)) {
            namespace.disconnect(id, close);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Connection state recovery

    @Override
    public void persistSession(PersistedSession session) {
        lock.lock();
        try {
            pruneSessions();
            sessions.put(session.pid(), new Persisted(session, namespace.nanoTime()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Optional<RestoredSession>> restoreSession(String pid, String offset) {
        lock.lock();
        try {
            pruneSessions();
            pruneLog();
            Persisted persisted = sessions.remove(pid);
            if (persisted == null) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            long sequence = sequenceOf(offset);
            if (sequence < 0 || log.isEmpty() && sequence != nextSequence - 1
                    || !log.isEmpty() && (sequence < log.peekFirst().sequence() - 1 || sequence >= nextSequence)) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            List<ArrayNode> missed = new ArrayList<>();
            for (LoggedEvent event : log) {
                if (event.sequence() > sequence && event.options().includes(persisted.session().rooms())) {
                    missed.add(event.data());
                }
            }
            return CompletableFuture.completedFuture(Optional.of(new RestoredSession(persisted.session(), missed)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The sequence number of an offset of ours, or -1. A client that saw no event yet presents no
     * offset we made; it recovers only if nothing at all was logged for it to miss... which we cannot
     * know, so it does not recover (the socket.io server behaves the same).
     */
    private long sequenceOf(String offset) {
        if (offset == null || !offset.startsWith(offsetPrefix)) {
            return -1;
        }
        try {
            return Long.parseLong(offset.substring(offsetPrefix.length()), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void pruneLog() {
        long window = namespace.recoveryWindow().toNanos();
        long now = namespace.nanoTime();
        while (!log.isEmpty() && (log.size() > maxLogged || now - log.peekFirst().atNanos() > window)) {
            log.removeFirst();
        }
    }

    private void pruneSessions() {
        long window = namespace.recoveryWindow().toNanos();
        long now = namespace.nanoTime();
        for (Iterator<Persisted> it = sessions.values().iterator(); it.hasNext(); ) {
            if (now - it.next().atNanos() > window) {
                it.remove();
            }
        }
    }

    /** Builds JSON arrays for subclasses that decode packets from other nodes. */
    protected static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }
}
