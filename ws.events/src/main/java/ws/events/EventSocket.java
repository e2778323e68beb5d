package ws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.internal.engine.OutboundPackets;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.SocketPacketEncoder;
import ws.events.internal.wire.WireJson;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.BroadcastPacket;
import ws.events.spi.PersistedSession;
import ws.events.spi.RestoredSession;
import ws.events.spi.SocketInfo;

/**
 * One client in one namespace: its own id (a client connected to two namespaces has two sockets
 * with two ids), its rooms, its listeners, and the way to emit to it and from it.
 *
 * <p>Listeners of one socket run one at a time, in the order the client sent its events, on the
 * thread that read them; a slow listener delays only its own client. Emits are safe from any
 * thread. Listeners registered in a connection handler see every event the client sends after its
 * connection.
 */
public final class EventSocket {
    private static final Logger LOG = LoggerFactory.getLogger(EventSocket.class);

    private enum State { CONNECTING, CONNECTED, DISCONNECTED }

    private final Namespace namespace;
    private final Client client;
    private final String id;
    private final String pid;
    private final Handshake handshake;
    private final boolean recovered;
    private final Map<String, Object> data = new ConcurrentHashMap<>();
    private final Map<String, List<EventListener>> listeners = new ConcurrentHashMap<>();
    private final List<EventListener> anyListeners = new CopyOnWriteArrayList<>();
    private final List<EventMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<DisconnectReason>> disconnectingListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<DisconnectReason>> disconnectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final Map<Long, PendingAck> pendingAcks = new ConcurrentHashMap<>();
    private final AtomicLong nextAckId = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final RateLimiter rateLimiter;
    // guarded by lock
    private State state = State.CONNECTING;
    private List<Pending> pending = new ArrayList<>();
    private volatile DisconnectReason disconnectReason;

    private record PendingAck(CompletableFuture<Arguments> future, Scheduler.Cancellable timer) {
    }

    private record Pending(String offset, OutboundPackets encoded, boolean dropIfBusy) {
    }

    EventSocket(Namespace namespace, Client client, Handshake handshake, Optional<RestoredSession> restored) {
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
        this.recovered = restored.isPresent();
        this.id = restored.map(r -> r.session().sid()).orElseGet(EventServer::newId);
        this.pid = restored.map(r -> r.session().pid()).orElseGet(() -> server().recovery() == null ? null : EventServer.newId());
        restored.ifPresent(r -> r.session().data().fields().forEachRemaining(field ->
                data.put(field.getKey(), server().mapper().convertValue(field.getValue(), Object.class))));
        RateLimit limit = server().rateLimit();
        this.rateLimiter = limit == null ? null : new RateLimiter(limit, server().scheduler());
    }

    private EventServer server() {
        return namespace.server();
    }

    /** The socket id: random, unique per namespace connection; the same after a recovery. */
    public String id() {
        return id;
    }

    /** The namespace it belongs to. */
    public Namespace namespace() {
        return namespace;
    }

    /** How it connected (headers, query, auth payload). */
    public Handshake handshake() {
        return handshake;
    }

    /**
     * Application data attached to the socket (a user name, a role): thread-safe, reported by
     * {@code fetchSockets} and kept across a recovery (restored values are JSON-shaped: maps, lists,
     * strings, numbers).
     */
    public Map<String, Object> data() {
        return data;
    }

    /** Whether this socket is a recovered one: same id, rooms and data, missed events replayed. */
    public boolean recovered() {
        return recovered;
    }

    /** Whether it is connected. */
    public boolean connected() {
        lock.lock();
        try {
            return state == State.CONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /** Why it disconnected, once it did. */
    public Optional<DisconnectReason> disconnectReason() {
        return Optional.ofNullable(disconnectReason);
    }

    /** The current transport: {@code "websocket"} or {@code "polling"}. */
    public String transport() {
        return client.session().transport();
    }

    // ---------------------------------------------------------------------------------------------
    // Rooms

    /**
     * Joins rooms at once (nothing once disconnected): this node's broadcasts to them reach the socket
     * from now on.
     *
     * @return completes when broadcasts to these rooms from every node reach the socket too (as
     *         {@code await socket.join(room)} in socket.io): at once on one server; with the sharded Redis
     *         adapter, once this node's subscription to the channel of a room new to it is confirmed, so
     *         an ack sent from it cannot overtake that subscription
     */
    public CompletableFuture<Void> join(String... rooms) {
        if (isDisconnected()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> joined = namespace.adapter().addAll(id, Set.of(rooms));
        if (isDisconnected()) {
            // it left meanwhile, perhaps after its rooms were cleared: clear them again
            namespace.adapter().delAll(id);
        }
        return joined;
    }

    private boolean isDisconnected() {
        lock.lock();
        try {
            return state == State.DISCONNECTED;
        } finally {
            lock.unlock();
        }
    }

    /** Leaves a room. */
    public void leave(String room) {
        namespace.adapter().del(id, room);
    }

    /** Its rooms, its own id included. */
    public Set<String> rooms() {
        return namespace.adapter().socketRooms(id);
    }

    // ---------------------------------------------------------------------------------------------
    // Listeners

    /** Listens for an event, its arguments unbound. */
    public EventSocket on(String event, EventListener listener) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        listeners.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    /**
     * Listens for an event with its first argument bound to {@code type}. An argument that does not
     * bind skips the listener and reaches the {@link #onError error listeners}.
     */
    public <A> EventSocket on(String event, Class<A> type, ArgumentListener<A> listener) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listener, "listener");
        return on(event, e -> listener.onEvent(e.args().get(0, type), e));
    }

    /** Listens for an event with its first two arguments bound. */
    public <A, B> EventSocket on(String event, Class<A> first, Class<B> second, ArgumentsListener<A, B> listener) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(listener, "listener");
        return on(event, e -> listener.onEvent(e.args().get(0, first), e.args().get(1, second), e));
    }

    /** Listens for every event (a catch-all), before the listeners of its name. */
    public EventSocket onAny(EventListener listener) {
        anyListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Adds a per-event middleware: it sees every event first and may refuse it by throwing. */
    public EventSocket use(EventMiddleware middleware) {
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** Runs when the socket is about to leave, with its rooms still joined. */
    public EventSocket onDisconnecting(Consumer<DisconnectReason> listener) {
        disconnectingListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Runs once the socket left, with the reason. */
    public EventSocket onDisconnect(Consumer<DisconnectReason> listener) {
        disconnectListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Gets what went wrong with an event: a middleware's refusal, an argument that did not bind, a
     * listener that threw. Without any, such errors are logged.
     */
    public EventSocket onError(Consumer<Throwable> listener) {
        errorListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    // ---------------------------------------------------------------------------------------------
    // Emitting

    /**
     * Emits an event to this client. Arguments are values Jackson can write (records, maps, lists,
     * strings, numbers, {@code null}); {@code byte[]} and {@code ByteBuffer} anywhere in them go as
     * binary attachments. With recovery on, it goes through the adapter and is logged for replay.
     *
     * @throws IllegalArgumentException for a reserved event name ({@code connect}, {@code disconnect}, ...)
     */
    public void emit(String event, Object... args) {
        ArrayNode data = server().eventData(event, args);
        if (server().recovery() != null) {
            namespace.adapter().broadcast(new BroadcastPacket(namespace.name(), data), BroadcastOptions.socket(id));
        } else {
            send(SocketPacket.event(namespace.name(), data, SocketPacket.NO_ACK), false);
        }
    }

    /** Emits an event and waits for the client's acknowledgement, up to the server's ack timeout. */
    public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
        return emitWithAck(server().ackTimeout(), event, args);
    }

    /**
     * Emits an event with an acknowledgement: the future completes with the arguments of the client's
     * callback, or fails with a {@link TimeoutException} after {@code timeout}, or with an
     * {@link IOException} if the socket disconnects first.
     */
    public CompletableFuture<Arguments> emitWithAck(Duration timeout, String event, Object... args) {
        Objects.requireNonNull(timeout, "timeout");
        return emitWithAck(timeout, server().eventData(event, args), false);
    }

    /** Sends {@code [event, args...]} with a new ack id; the future completes with the answer. */
    CompletableFuture<Arguments> emitWithAck(Duration timeout, ArrayNode data, boolean dropIfBusy) {
        String event = data.get(0).asText();
        long ackId = nextAckId.getAndIncrement();
        CompletableFuture<Arguments> future = new CompletableFuture<>();
        Scheduler.Cancellable timer = server().scheduler().schedule(timeout, () -> {
            PendingAck expired = pendingAcks.remove(ackId);
            if (expired != null) {
                expired.future().completeExceptionally(new TimeoutException(
                        "no acknowledgement of \"" + event + "\" from socket " + id + " within " + timeout));
            }
        });
        pendingAcks.put(ackId, new PendingAck(future, timer));
        if (!connected()) {
            failAck(ackId, "socket " + id + " is not connected");
        } else {
            send(SocketPacket.event(namespace.name(), data, ackId), dropIfBusy);
        }
        return future;
    }

    /** Emits to the rooms' sockets, this one excepted. */
    public Broadcast to(String... rooms) {
        return broadcast().to(rooms);
    }

    /** Emits to every socket of the namespace but this one. */
    public Broadcast broadcast() {
        return new Broadcast(namespace, new BroadcastOptions(Set.of(), Set.of(id), false, false));
    }

    /**
     * Leaves the namespace: the client gets a DISCONNECT packet (its {@code disconnect} event says
     * "io server disconnect") and this socket "server namespace disconnect". With {@code close}, the
     * whole connection closes too (every namespace of the client).
     */
    public void disconnect(boolean close) {
        if (close) {
            client.disconnectAll();
            return;
        }
        if (!connected()) {
            return;
        }
        send(SocketPacket.disconnect(namespace.name()), false);
        onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    }

    void sendAck(long ackId, Object[] args) {
        ArrayNode data = server().argumentData(args);
        send(SocketPacket.ack(namespace.name(), ackId, data), false);
    }

    private void send(SocketPacket packet, boolean dropIfBusy) {
        client.send(SocketPacketEncoder.encode(packet), dropIfBusy);
    }

    // ---------------------------------------------------------------------------------------------
    // Connection life

    /** Joins the namespace: rooms, the CONNECT answer, missed events (recovery), then what was held. */
    void connect(Optional<RestoredSession> restored) {
        namespace.add(this);
        Set<String> rooms = new HashSet<>();
        rooms.add(id);
        restored.ifPresent(r -> rooms.addAll(r.session().rooms()));
        namespace.adapter().addAll(id, rooms);
        ObjectNode answer = WireJson.NODES.objectNode().put("sid", id);
        if (pid != null) {
            answer.put("pid", pid);
        }
        send(SocketPacket.connect(namespace.name(), answer), false);
        Set<String> replayed = new HashSet<>();
        for (ArrayNode missed : restored.map(RestoredSession::missedPackets).orElse(List.of())) {
            replayed.add(missed.get(missed.size() - 1).asText());
            send(SocketPacket.event(namespace.name(), missed, SocketPacket.NO_ACK), false);
        }
        lock.lock();
        try {
            if (state != State.CONNECTING) {
                return;
            }
            for (Pending held : pending) {
                if (held.offset() == null || !replayed.contains(held.offset())) {
                    client.send(held.encoded(), held.dropIfBusy());
                }
            }
            pending = null;
            state = State.CONNECTED;
        } finally {
            lock.unlock();
        }
        namespace.fireConnection(this);
    }

    /** An event broadcast to this socket (the adapter's delivery), already encoded. */
    void deliver(BroadcastPacket packet, OutboundPackets encoded, boolean dropIfBusy) {
        lock.lock();
        try {
            switch (state) {
                case CONNECTING -> {
                    JsonNode last = packet.data().get(packet.data().size() - 1);
                    String offset = server().recovery() != null && last.isTextual() ? last.asText() : null;
                    pending.add(new Pending(offset, encoded, dropIfBusy));
                }
                case CONNECTED -> client.send(encoded, dropIfBusy);
                case DISCONNECTED -> {
                }
            }
        } finally {
            lock.unlock();
        }
    }

    SocketInfo info() {
        return new SocketInfo(id, rooms(), server().mapper().valueToTree(data), handshake.toJson());
    }

    void onPacket(SocketPacket packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> onEvent(packet);
            case ACK, BINARY_ACK -> {
                PendingAck ack = pendingAcks.remove(packet.ackId());
                if (ack != null) {
                    ack.timer().cancel();
                    ack.future().complete(Arguments.of((ArrayNode) packet.data(), 0, server().mapper()));
                }
            }
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
            default -> LOG.debug("socket {}: ignoring a {} packet", id, packet.type());
        }
    }

    private void onEvent(SocketPacket packet) {
        if (!connected()) {
            return;
        }
        ArrayNode data = (ArrayNode) packet.data();
        String name = data.get(0).asText();
        if (rateLimiter != null && !rateLimiter.tryAcquire()) {
            if (rateLimiter.shouldTell()) {
                RateLimit limit = rateLimiter.limit();
                ObjectNode error = WireJson.NODES.objectNode()
                        .put("message", "rate limit exceeded")
                        .put("event", name)
                        .put("limit", limit.events())
                        .put("perMillis", limit.per().toMillis());
                send(SocketPacket.event(namespace.name(), WireJson.NODES.arrayNode().add(limit.errorEvent()).add(error),
                        SocketPacket.NO_ACK), false);
            }
            LOG.debug("socket {}: event \"{}\" dropped by the rate limit", id, name);
            return;
        }
        Event event = new Event(this, name, Arguments.of(data, 1, server().mapper()), packet.ackId());
        for (EventMiddleware middleware : middlewares) {
            try {
                middleware.check(event);
            } catch (Exception e) {
                fail(event, e);
                return;
            }
        }
        for (EventListener listener : anyListeners) {
            run(listener, event);
        }
        for (EventListener listener : listeners.getOrDefault(name, List.of())) {
            run(listener, event);
        }
    }

    private void run(EventListener listener, Event event) {
        try {
            listener.onEvent(event);
        } catch (Exception e) {
            fail(event, e);
        }
    }

    private void fail(Event event, Throwable error) {
        if (errorListeners.isEmpty()) {
            LOG.warn("socket {}: event \"{}\" failed", id, event.name(), error);
            return;
        }
        for (Consumer<Throwable> listener : errorListeners) {
            try {
                listener.accept(error);
            } catch (RuntimeException e) {
                LOG.warn("socket {}: an error listener threw", id, e);
            }
        }
    }

    /** Leaves the namespace for {@code reason}: listeners, recovery, rooms, pending acks. */
    void onClose(DisconnectReason reason) {
        lock.lock();
        try {
            if (state == State.DISCONNECTED) {
                return;
            }
            state = State.DISCONNECTED;
            pending = null;
        } finally {
            lock.unlock();
        }
        disconnectReason = reason;
        notify(disconnectingListeners, reason);
        Set<String> rooms = rooms();
        namespace.adapter().delAll(id);
        namespace.remove(this);
        client.remove(this);
        // last: once persisted, the client may recover at once, as a new socket with this same id
        if (server().recovery() != null && reason.recoverable()) {
            namespace.adapter().persistSession(new PersistedSession(id, pid, rooms, server().mapper().valueToTree(data)));
        }
        for (Long ackId : List.copyOf(pendingAcks.keySet())) {
            failAck(ackId, "socket " + id + " disconnected: " + reason);
        }
        notify(disconnectListeners, reason);
    }

    private void failAck(long ackId, String why) {
        PendingAck ack = pendingAcks.remove(ackId);
        if (ack != null) {
            ack.timer().cancel();
            ack.future().completeExceptionally(new IOException(why));
        }
    }

    private void notify(List<Consumer<DisconnectReason>> targets, DisconnectReason reason) {
        for (Consumer<DisconnectReason> listener : targets) {
            try {
                listener.accept(reason);
            } catch (RuntimeException e) {
                LOG.warn("socket {}: a disconnect listener threw", id, e);
            }
        }
    }

    @Override
    public String toString() {
        return "EventSocket[" + namespace.name() + " " + id + "]";
    }
}
