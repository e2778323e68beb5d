package ws.events.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.Arguments;
import ws.events.Scheduler;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.WireJson;

/**
 * One namespace of an {@link EventClient}'s connection (several share it, as Socket.IO multiplexes):
 * events in ({@link #on}), events out ({@link #emit}, {@link #emitWithAck}), its lifecycle
 * ({@link #onConnect}, {@link #onDisconnect}, {@link #onConnectError}).
 *
 * <p>Register handlers, then {@link #connect()}. Every handler and listener runs on the client's event
 * thread, one at a time, in the order the packets arrived: do not block in them (chain on the futures
 * instead). An exception thrown by a handler is logged and does not affect the connection.
 *
 * <p>While disconnected, emits wait in a bounded send buffer (see {@link EventClient.Builder#sendBuffer})
 * and go out, in order, once the socket is connected again. With connection state recovery on the
 * server, a socket that comes back within the server's window keeps its {@link #id()} and rooms, gets
 * every event it missed, and reports {@link #recovered()}.
 */
public final class ClientSocket {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSocket.class);

    private final EventClient client;
    private final String namespace;
    private final Supplier<?> auth;
    private final Map<String, List<Consumer<Event>>> handlers = new ConcurrentHashMap<>();
    private final List<Consumer<Event>> anyHandlers = new CopyOnWriteArrayList<>();
    private final List<Runnable> connectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<DisconnectReason>> disconnectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> connectErrorListeners = new CopyOnWriteArrayList<>();
    // written on the event loop, read anywhere
    private volatile boolean connected;
    private volatile boolean recovered;
    private volatile String id;
    // confined to the event loop
    private boolean active;
    private String pid;
    private String lastOffset;
    private long nextAckId;
    private final Map<Long, PendingAck> acks = new HashMap<>();
    private final ArrayDeque<Outgoing> sendBuffer = new ArrayDeque<>();
    private final ArrayDeque<SocketPacket> receiveBuffer = new ArrayDeque<>();
    private CompletableFuture<ClientSocket> connecting;

    private record Outgoing(SocketPacket packet, CompletableFuture<Void> sent) {
    }

    private record PendingAck(CompletableFuture<Arguments> reply, Scheduler.Cancellable timer) {
    }

    ClientSocket(EventClient client, String namespace, Supplier<?> auth) {
        this.client = client;
        this.namespace = namespace;
        this.auth = auth;
    }

    /** The namespace ({@code "/"}, {@code "/chat"}). */
    public String namespace() {
        return namespace;
    }

    /** The client whose connection it uses. */
    public EventClient client() {
        return client;
    }

    /** The socket's id on the server while connected, else {@code null}. */
    public String id() {
        return id;
    }

    /** Whether it is connected to its namespace. */
    public boolean connected() {
        return connected;
    }

    /**
     * Whether the last connection recovered the previous session (connection state recovery): the
     * same id and rooms, and the missed events delivered after {@link #onConnect}. False on a first
     * connection, and when the server could not recover (then the application must catch up itself).
     */
    public boolean recovered() {
        return recovered;
    }

    // ---- handlers

    /** Calls {@code handler} with every event named {@code event}. */
    public ClientSocket on(String event, Consumer<Event> handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        handlers.computeIfAbsent(event, name -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    /** Calls {@code handler} with the first argument of every event named {@code event}, bound to {@code type}. */
    public <T> ClientSocket on(String event, Class<T> type, Consumer<? super T> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        return on(event, e -> handler.accept(e.arg(0, type)));
    }

    /** Calls {@code handler} with the first two arguments of every event named {@code event}, bound to their types. */
    public <A, B> ClientSocket on(String event, Class<A> first, Class<B> second, BiConsumer<? super A, ? super B> handler) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(handler, "handler");
        return on(event, e -> handler.accept(e.arg(0, first), e.arg(1, second)));
    }

    /** Calls {@code handler} with every event, before the handlers of its name. */
    public ClientSocket onAny(Consumer<Event> handler) {
        anyHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes every handler of {@code event}. */
    public ClientSocket off(String event) {
        handlers.remove(event);
        return this;
    }

    /** Runs {@code listener} each time the socket connects to its namespace (the first time and after each reconnection). */
    public ClientSocket onConnect(Runnable listener) {
        connectListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Calls {@code listener} with the reason each time the socket is disconnected. */
    public ClientSocket onDisconnect(Consumer<DisconnectReason> listener) {
        disconnectListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Calls {@code listener} each time connecting fails: a {@link ConnectErrorException} when the server
     * refused the namespace (then the socket stops trying), else the connection's failure (the client
     * goes on reconnecting as its {@link Reconnection} says).
     */
    public ClientSocket onConnectError(Consumer<Throwable> listener) {
        connectErrorListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    // ---- connecting

    /**
     * Connects to the namespace (opening the client's connection if needed). The future completes
     * with this socket once connected, or fails with a {@link ConnectErrorException} (refused), or a
     * {@link ConnectionLostException} when the client gave up reconnecting or was closed. Calling it
     * again while connecting gives the same outcome; while connected, a completed future.
     */
    public CompletableFuture<ClientSocket> connect() {
        CompletableFuture<ClientSocket> result = new CompletableFuture<>();
        client.loop().execute(() -> {
            if (connected) {
                result.complete(this);
                return;
            }
            if (connecting == null || connecting.isDone()) {
                connecting = new CompletableFuture<>();
            }
            connecting.whenComplete((socket, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(socket);
                }
            });
            if (!active) {
                active = true;
                client.activate(this);
            }
        });
        return result;
    }

    /**
     * Leaves the namespace: a DISCONNECT to the server, {@link DisconnectReason#IO_CLIENT_DISCONNECT}
     * to the listeners, no reconnection. The client's connection closes when no socket uses it.
     */
    public void disconnect() {
        client.loop().execute(() -> {
            if (connected) {
                client.send(SocketPacket.disconnect(namespace));
            }
            deactivate(new ConnectionLostException("the socket was disconnected by this side"));
            if (connected) {
                closed(DisconnectReason.IO_CLIENT_DISCONNECT);
            }
            client.deactivated();
        });
    }

    // ---- emitting

    /**
     * Sends an event with these arguments (bound by the client's mapper; {@code byte[]} and
     * {@link java.nio.ByteBuffer} anywhere in them go as binary attachments). While disconnected it
     * waits in the send buffer. The future completes once it was handed to the network, or fails
     * (dropped from a full buffer, connection lost first).
     *
     * @throws IllegalArgumentException for a reserved event name ({@code connect}, {@code disconnect}, ...)
     *                                  or arguments the mapper cannot write
     */
    public CompletableFuture<Void> emit(String event, Object... args) {
        SocketPacket packet = SocketPacket.event(namespace, eventArray(event, args), SocketPacket.NO_ACK);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        client.loop().execute(() -> send(new Outgoing(packet, sent)));
        return sent;
    }

    /**
     * Sends an event and waits for the server's acknowledgement, at most the client's
     * {@linkplain EventClient.Builder#ackTimeout ack timeout}. The future completes with the
     * acknowledgement's arguments, or fails with a {@link TimeoutException}, a
     * {@link ConnectionLostException} (the connection was lost after the event was sent), or a
     * {@link SendBufferFullException}.
     */
    public CompletableFuture<Arguments> emitWithAck(String event, Object... args) {
        return emitWithAck(client.ackTimeout(), event, args);
    }

    /** As {@link #emitWithAck(String, Object...)}, waiting at most {@code timeout}. */
    public CompletableFuture<Arguments> emitWithAck(Duration timeout, String event, Object... args) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        ArrayNode data = eventArray(event, args);
        CompletableFuture<Arguments> reply = new CompletableFuture<>();
        client.loop().execute(() -> {
            long ackId = nextAckId++;
            Scheduler.Cancellable timer = client.scheduler().schedule(timeout, () -> client.loop().execute(() -> {
                PendingAck pending = acks.remove(ackId);
                if (pending != null) {
                    TimeoutException late = new TimeoutException("no acknowledgement of '" + event + "' within " + timeout);
                    sendBuffer.removeIf(o -> {
                        boolean expired = o.packet().ackId() == ackId;
                        if (expired) {
                            o.sent().completeExceptionally(late); // never sent: it would be answered to nobody
                        }
                        return expired;
                    });
                    pending.reply().completeExceptionally(late);
                }
            }));
            acks.put(ackId, new PendingAck(reply, timer));
            CompletableFuture<Void> sent = new CompletableFuture<>();
            sent.whenComplete((ignored, error) -> {
                if (error != null) {
                    client.loop().execute(() -> failAck(ackId, error));
                }
            });
            send(new Outgoing(SocketPacket.event(namespace, data, ackId), sent));
        });
        return reply;
    }

    private ArrayNode eventArray(String event, Object[] args) {
        return WireJson.event(client.mapper(), event, args);
    }

    // ---- on the event loop

    private void send(Outgoing outgoing) {
        if (client.isClosed()) {
            outgoing.sent().completeExceptionally(new ConnectionLostException("the client was closed"));
            return;
        }
        if (connected && client.isOpen()) {
            forward(outgoing);
            return;
        }
        if (sendBuffer.size() >= client.sendBufferCapacity()) {
            SendBufferFullException full = new SendBufferFullException("the send buffer of " + namespace + " holds "
                    + client.sendBufferCapacity() + " emits while disconnected (" + client.overflowPolicy() + ")");
            if (client.overflowPolicy() == OverflowPolicy.REJECT_NEW) {
                outgoing.sent().completeExceptionally(full);
                return;
            }
            sendBuffer.removeFirst().sent().completeExceptionally(full);
        }
        sendBuffer.addLast(outgoing);
    }

    private void forward(Outgoing outgoing) {
        client.send(outgoing.packet()).whenComplete((ignored, error) -> {
            if (error != null) {
                outgoing.sent().completeExceptionally(error);
            } else {
                outgoing.sent().complete(null);
            }
        });
    }

    private void failAck(long ackId, Throwable error) {
        PendingAck pending = acks.remove(ackId);
        if (pending != null) {
            pending.timer().cancel();
            pending.reply().completeExceptionally(error);
        }
    }

    /** Whether the socket wants to be connected (it connects whenever the client's connection opens). */
    boolean active() {
        return active;
    }

    /** The client's connection opened: ask to join the namespace, with the auth payload and the recovery session. */
    void engineOpened() {
        ObjectNode data = WireJson.NODES.objectNode();
        if (pid != null) {
            data.put("pid", pid);
            if (lastOffset != null) {
                data.put("offset", lastOffset);
            }
        }
        if (auth != null) {
            JsonNode payload;
            try {
                payload = client.mapper().valueToTree(auth.get());
            } catch (RuntimeException e) {
                connectFailed(new IllegalArgumentException("the auth payload of " + namespace + " failed: " + e, e), true);
                return;
            }
            if (payload != null && !payload.isNull()) {
                if (!payload.isObject()) {
                    connectFailed(new IllegalArgumentException("the auth payload of " + namespace
                            + " must be a JSON object, got " + payload.getNodeType()), true);
                    return;
                }
                data.setAll((ObjectNode) payload);
            }
        }
        client.send(SocketPacket.connect(namespace, data.isEmpty() ? null : data));
    }

    /** The client's connection could not open (or reopen). */
    void engineFailed(Throwable cause) {
        if (active && !connected) {
            fire(connectErrorListeners, listener -> listener.accept(cause));
        }
    }

    /** The client's connection ended. */
    void engineClosed(DisconnectReason reason) {
        if (connected) {
            closed(reason);
        }
    }

    /** The client gave up (reconnection failed, or closed): nothing more will connect. */
    void abandoned(Throwable cause) {
        if (connecting != null && !connecting.isDone()) {
            connecting.completeExceptionally(cause);
        }
    }

    /** The client is closing: leave the namespace as {@link #disconnect()} does, without closing the connection. */
    void clientClosing() {
        if (connected) {
            client.send(SocketPacket.disconnect(namespace));
        }
        ConnectionLostException lost = new ConnectionLostException("the client was closed");
        deactivate(lost);
        if (connected) {
            closed(DisconnectReason.IO_CLIENT_DISCONNECT);
        }
        for (Outgoing outgoing : sendBuffer) {
            outgoing.sent().completeExceptionally(lost);
        }
        sendBuffer.clear();
        new ArrayList<>(acks.keySet()).forEach(ackId -> failAck(ackId, lost));
    }

    /** A packet for this namespace arrived. */
    void received(SocketPacket packet) {
        switch (packet.type()) {
            case CONNECT -> connectAnswered(packet.data());
            case EVENT, BINARY_EVENT -> {
                if (connected) {
                    dispatch(packet);
                } else if (receiveBuffer.size() < client.sendBufferCapacity()) {
                    receiveBuffer.addLast(packet);
                }
            }
            case ACK, BINARY_ACK -> {
                PendingAck pending = acks.remove(packet.ackId());
                if (pending != null) {
                    pending.timer().cancel();
                    pending.reply().complete(Arguments.of((ArrayNode) packet.data(), 0, client.mapper()));
                }
            }
            case DISCONNECT -> {
                boolean was = connected;
                deactivate(new ConnectionLostException("the server disconnected the socket"));
                if (was) {
                    closed(DisconnectReason.IO_SERVER_DISCONNECT);
                }
                client.deactivated();
            }
            case CONNECT_ERROR -> {
                JsonNode data = packet.data();
                String message = data.isTextual() ? data.asText() : data.path("message").asText("connect error");
                connectFailed(new ConnectErrorException(message, data.isObject() ? data.get("data") : null), false);
            }
        }
    }

    private void connectAnswered(JsonNode data) {
        JsonNode sid = data == null ? null : data.get("sid");
        if (sid == null || !sid.isTextual()) {
            connectFailed(new ConnectErrorException("the server's CONNECT carries no sid (a Socket.IO v2 server?)",
                    data), false);
            return;
        }
        if (!active || connected) {
            return;
        }
        JsonNode newPid = data.get("pid");
        String previousPid = pid;
        pid = newPid != null && newPid.isTextual() ? newPid.asText() : null;
        recovered = pid != null && pid.equals(previousPid);
        if (!recovered) {
            lastOffset = null;
        }
        id = sid.asText();
        connected = true;
        while (!receiveBuffer.isEmpty()) {
            dispatch(receiveBuffer.removeFirst());
        }
        while (!sendBuffer.isEmpty()) {
            forward(sendBuffer.removeFirst());
        }
        fire(connectListeners, Runnable::run);
        if (connecting != null) {
            connecting.complete(this);
        }
    }

    private void connectFailed(RuntimeException error, boolean local) {
        if (connecting != null) {
            connecting.completeExceptionally(error);
        }
        active = false;
        fire(connectErrorListeners, listener -> listener.accept(error));
        if (!local) {
            client.deactivated();
        }
    }

    private void deactivate(ConnectionLostException cause) {
        active = false;
        if (connecting != null && !connecting.isDone()) {
            connecting.completeExceptionally(cause);
        }
    }

    private void closed(DisconnectReason reason) {
        connected = false;
        id = null;
        receiveBuffer.clear();
        // acks of emits already sent can no longer come; those still buffered wait for the next connection
        ConnectionLostException lost = new ConnectionLostException("disconnected (" + reason + ") before the acknowledgement");
        for (Iterator<Map.Entry<Long, PendingAck>> it = acks.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, PendingAck> entry = it.next();
            long ackId = entry.getKey();
            if (sendBuffer.stream().noneMatch(o -> o.packet().ackId() == ackId)) {
                it.remove();
                entry.getValue().timer().cancel();
                entry.getValue().reply().completeExceptionally(lost);
            }
        }
        fire(disconnectListeners, listener -> listener.accept(reason));
    }

    private void dispatch(SocketPacket packet) {
        JsonNode data = packet.data();
        String name = data.get(0).asText();
        Arguments args = Arguments.of((ArrayNode) data, 1, client.mapper());
        long ackId = packet.ackId();
        Event event = new Event(name, args, packet.hasAckId() ? reply -> acknowledge(ackId, reply) : null);
        fire(anyHandlers, handler -> handler.accept(event));
        fire(handlers.getOrDefault(name, List.of()), handler -> handler.accept(event));
        if (pid != null && data.size() > 1 && data.get(data.size() - 1).isTextual()) {
            lastOffset = data.get(data.size() - 1).asText();
        }
    }

    private void acknowledge(long ackId, Object[] reply) {
        ArrayNode data = WireJson.arguments(client.mapper(), reply);
        client.loop().execute(() -> {
            if (connected && client.isOpen()) {
                client.send(SocketPacket.ack(namespace, ackId, data));
            }
        });
    }

    private <L> void fire(List<L> listeners, Consumer<L> call) {
        for (L listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("a handler of {} on {} threw", client.uri(), namespace, e);
            }
        }
    }

    @Override
    public String toString() {
        return "ClientSocket[" + namespace + (connected ? " " + id : " disconnected") + "]";
    }
}
