package ws.events;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.BroadcastPacket;

/**
 * A selection of a namespace's sockets: the rooms to reach (all when none), the rooms to leave out,
 * and how to deliver. Immutable: each method returns a new selection. Everything goes through the
 * namespace's adapter, so with a cluster adapter it reaches every node.
 *
 * <pre>{@code
 * chat.to("room-1", "room-2").except("muted").emit("message", msg);
 * socket.broadcast().emit("joined", name);        // everyone but the sender
 * chat.to("room-1").asVolatile().emit("typing", name);
 * }</pre>
 */
public final class Broadcast {
    private final Namespace namespace;
    private final BroadcastOptions options;

    Broadcast(Namespace namespace, BroadcastOptions options) {
        this.namespace = namespace;
        this.options = options;
    }

    /** Also reaches the sockets in these rooms (a socket in several is reached once). */
    public Broadcast to(String... rooms) {
        Set<String> more = new HashSet<>(options.rooms());
        more.addAll(List.of(rooms));
        return new Broadcast(namespace, new BroadcastOptions(more, options.except(), options.dropIfBusy(), options.local()));
    }

    /** Leaves out the sockets in these rooms (a socket id leaves out that socket). */
    public Broadcast except(String... rooms) {
        Set<String> more = new HashSet<>(options.except());
        more.addAll(List.of(rooms));
        return new Broadcast(namespace, new BroadcastOptions(options.rooms(), more, options.dropIfBusy(), options.local()));
    }

    /**
     * Volatile delivery: a socket that cannot take the event at once (no poll waiting, a WebSocket
     * still writing) misses it, and it is not logged for recovery. For data that is stale soon
     * (positions, typing indicators).
     */
    public Broadcast asVolatile() {
        return new Broadcast(namespace, new BroadcastOptions(options.rooms(), options.except(), true, options.local()));
    }

    /** Only the sockets of this server, not those of other cluster nodes. */
    public Broadcast local() {
        return new Broadcast(namespace, new BroadcastOptions(options.rooms(), options.except(), options.dropIfBusy(), true));
    }

    /** The selection as the adapter gets it. */
    public BroadcastOptions options() {
        return options;
    }

    /**
     * Emits an event to the selected sockets, encoded once. Arguments as for
     * {@link EventSocket#emit}.
     */
    public void emit(String event, Object... args) {
        namespace.adapter().broadcast(new BroadcastPacket(namespace.name(), namespace.server().eventData(event, args)), options);
    }

    /**
     * Emits an event that every selected socket acknowledges: the future completes with their answers
     * (each the arguments of a client's callback, in the order they arrived) once all of them
     * answered, or fails with a {@link TimeoutException} after {@code timeout}. Never logged for
     * recovery.
     */
    public CompletableFuture<List<Arguments>> emitWithAck(Duration timeout, String event, Object... args) {
        EventServer server = namespace.server();
        List<Arguments> answers = new CopyOnWriteArrayList<>();
        AtomicInteger expected = new AtomicInteger(-1);
        CompletableFuture<List<Arguments>> result = new CompletableFuture<>();
        Runnable completeIfAll = () -> {
            int count = expected.get();
            if (count >= 0 && answers.size() >= count) {
                result.complete(List.copyOf(answers));
            }
        };
        Scheduler.Cancellable timer = server.scheduler().schedule(timeout, () -> result.completeExceptionally(
                new TimeoutException(answers.size() + " of " + (expected.get() < 0 ? "?" : expected.get())
                        + " sockets acknowledged \"" + event + "\" within " + timeout)));
        result.whenComplete((answered, error) -> timer.cancel());
        namespace.adapter().broadcastWithAck(new BroadcastPacket(namespace.name(), server.eventData(event, args)), options,
                        timeout, reply -> {
                            answers.add(Arguments.of(reply, 0, server.mapper()));
                            completeIfAll.run();
                        })
                .whenComplete((count, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        expected.set(count);
                        completeIfAll.run();
                    }
                });
        return result;
    }

    /** The selected sockets, as data (their id, rooms, data and handshake), with operations on them. */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return namespace.adapter().fetchSockets(options)
                .thenApply(infos -> infos.stream().map(info -> new RemoteSocket(namespace, info)).toList());
    }

    /** Makes the selected sockets join rooms. */
    public void socketsJoin(String... rooms) {
        namespace.adapter().addSockets(options, Set.of(rooms));
    }

    /** Makes the selected sockets leave rooms. */
    public void socketsLeave(String... rooms) {
        namespace.adapter().delSockets(options, Set.of(rooms));
    }

    /** Disconnects the selected sockets; {@code close} also closes their connections. */
    public void disconnectSockets(boolean close) {
        namespace.adapter().disconnectSockets(options, close);
    }
}
