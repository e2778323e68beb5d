package ws.events;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.internal.engine.OutboundPackets;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.SocketPacketEncoder;
import ws.events.internal.wire.WireJson;
import ws.events.spi.Adapter;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.BroadcastPacket;
import ws.events.spi.LocalNamespace;
import ws.events.spi.SocketInfo;

/**
 * A namespace ({@code "/"}, {@code "/chat"}): a separate channel over the same connection, with its
 * own connection middlewares, connection handlers, sockets and rooms, and an {@link Adapter} that
 * every broadcast and room operation goes through.
 */
public final class Namespace {
    private static final Logger LOG = LoggerFactory.getLogger(Namespace.class);

    private final EventServer server;
    private final String name;
    private final NamespaceGroup group;
    private final Adapter adapter;
    private final List<ConnectionMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<EventSocket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final Map<String, EventSocket> sockets = new ConcurrentHashMap<>();

    Namespace(EventServer server, String name, NamespaceGroup group) {
        this.server = server;
        this.name = name;
        this.group = group;
        this.adapter = server.adapterFactory().create(new Local());
    }

    EventServer server() {
        return server;
    }

    /** Its name. */
    public String name() {
        return name;
    }

    /** Its adapter. */
    public Adapter adapter() {
        return adapter;
    }

    /**
     * Adds a connection middleware: it runs for each client that asks to join, in order, and may
     * refuse it (see {@link ConnectionMiddleware}).
     */
    public Namespace use(ConnectionMiddleware middleware) {
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** Runs for every socket that joined, after the client was told (register its listeners here). */
    public Namespace onConnection(Consumer<EventSocket> handler) {
        connectionHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** The sockets connected to this namespace on this server. */
    public Collection<EventSocket> sockets() {
        return List.copyOf(sockets.values());
    }

    /** A socket of this server by id. */
    public Optional<EventSocket> socket(String id) {
        return Optional.ofNullable(sockets.get(id));
    }

    /** The rooms with sockets of this server (every socket's own id room included). */
    public Set<String> rooms() {
        return adapter.rooms();
    }

    // ---------------------------------------------------------------------------------------------
    // Broadcasting: the whole namespace; narrow it with to/except

    /** Every socket of the namespace, to narrow. */
    public Broadcast all() {
        return new Broadcast(this, BroadcastOptions.all());
    }

    /** The sockets in any of these rooms. */
    public Broadcast to(String... rooms) {
        return all().to(rooms);
    }

    /** Every socket but those in these rooms. */
    public Broadcast except(String... rooms) {
        return all().except(rooms);
    }

    /** Emits to every socket of the namespace. */
    public void emit(String event, Object... args) {
        all().emit(event, args);
    }

    /** Every socket of the namespace (on every node, with a cluster adapter). */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return all().fetchSockets();
    }

    /** Disconnects every socket of the namespace. */
    public void disconnectSockets(boolean close) {
        all().disconnectSockets(close);
    }

    // ---------------------------------------------------------------------------------------------

    NamespaceGroup group() {
        return group;
    }

    List<ConnectionMiddleware> middlewares() {
        if (group == null) {
            return middlewares;
        }
        List<ConnectionMiddleware> all = new java.util.ArrayList<>(group.middlewares());
        all.addAll(middlewares);
        return all;
    }

    void fireConnection(EventSocket socket) {
        List<Consumer<EventSocket>> handlers = new java.util.ArrayList<>();
        if (group != null) {
            handlers.addAll(group.connectionHandlers());
        }
        handlers.addAll(connectionHandlers);
        for (Consumer<EventSocket> handler : handlers) {
            try {
                handler.accept(socket);
            } catch (RuntimeException e) {
                LOG.warn("namespace {}: a connection handler failed for socket {}", name, socket.id(), e);
            }
        }
    }

    void add(EventSocket socket) {
        sockets.put(socket.id(), socket);
    }

    void remove(EventSocket socket) {
        sockets.remove(socket.id(), socket);
    }

    void close() {
        adapter.close();
    }

    @Override
    public String toString() {
        return "Namespace[" + name + ", " + sockets.size() + " sockets]";
    }

    /** The namespace as its adapter sees it. */
    private final class Local implements LocalNamespace {
        @Override
        public String name() {
            return name;
        }

        @Override
        public void deliver(BroadcastPacket packet, Collection<String> socketIds, boolean dropIfBusy) {
            if (socketIds.isEmpty()) {
                return;
            }
            OutboundPackets encoded = OutboundPackets.of(
                    SocketPacketEncoder.encode(SocketPacket.event(name, packet.data(), SocketPacket.NO_ACK)));
            for (String id : socketIds) {
                EventSocket socket = sockets.get(id);
                if (socket != null) {
                    socket.deliver(packet, encoded, dropIfBusy);
                }
            }
        }

        @Override
        public int deliverWithAck(BroadcastPacket packet, Collection<String> socketIds, boolean dropIfBusy, Duration timeout,
                                  java.util.function.Consumer<com.fasterxml.jackson.databind.node.ArrayNode> reply) {
            int sent = 0;
            for (String id : socketIds) {
                EventSocket socket = sockets.get(id);
                if (socket != null && socket.connected()) {
                    sent++;
                    socket.emitWithAck(timeout, packet.data(), dropIfBusy)
                            .thenAccept(answer -> reply.accept(WireJson.NODES.arrayNode().addAll(answer.values())));
                }
            }
            return sent;
        }

        @Override
        public Optional<SocketInfo> socketInfo(String socketId) {
            return socket(socketId).map(EventSocket::info);
        }

        @Override
        public void disconnect(String socketId, boolean close) {
            socket(socketId).ifPresent(socket -> socket.disconnect(close));
        }

        @Override
        public Duration recoveryWindow() {
            return server.recovery() == null ? Duration.ZERO : server.recovery().maxDisconnectionDuration();
        }

        @Override
        public long nanoTime() {
            return server.scheduler().nanoTime();
        }
    }
}
