package ws.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in a room, under the name each client chose: the user list of a chat. A helper on top of
 * rooms, not a protocol of its own: clients join with a name, and every join, leave, rename and
 * disconnection pushes the room's member list to the room.
 *
 * <p>The client side, with any Socket.IO client:
 * <pre>{@code
 * socket.emit("presence:join", {room: "lobby", name: "ann"}, (answer) => ...); // {room, members} or {error}
 * socket.emit("presence:rename", "annie");
 * socket.emit("presence:leave", "lobby");
 * socket.on("presence", ({room, members}) => render(members));                 // members: [{id, name}]
 * }</pre>
 * The list comes from {@code fetchSockets} through the namespace's adapter, so with a cluster
 * adapter it spans every node. Names and room names are bounded ({@value #MAX_NAME_LENGTH} and
 * {@value #MAX_ROOM_LENGTH} characters); a socket is in at most {@value #MAX_ROOMS} presence rooms.
 * A recovered socket reappears in its rooms' lists.
 */
public final class Presence {
    /** Client to server: {@code {room, name}}; acked with the room's members. */
    public static final String JOIN = "presence:join";
    /** Client to server: the room's name. */
    public static final String LEAVE = "presence:leave";
    /** Client to server: the new name. */
    public static final String RENAME = "presence:rename";
    /** Server to the room: {@code {room, members: [{id, name}]}}. */
    public static final String LIST = "presence";
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_ROOM_LENGTH = 128;
    public static final int MAX_ROOMS = 32;
    /** Pushes of one room done in a row by one call before the next is handed to the scheduler. */
    static final int ROUNDS_PER_CALL = 4;
    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);
    private static final String NAME_KEY = "presence.name";
    private static final String ROOMS_KEY = "presence.rooms";

    private final Namespace namespace;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, RoomPush> pushes = new HashMap<>(); // rooms whose list is being pushed

    /**
     * One member of a room.
     *
     * @param id   the socket id
     * @param name the name the client chose
     */
    public record Member(String id, String name) {
    }

    /**
     * A room's member list, as pushed to it.
     *
     * @param room    the room
     * @param members its members, sorted by name then id
     */
    public record RoomMembers(String room, List<Member> members) {
    }

    /**
     * A join request from a client.
     *
     * @param room the room to join
     * @param name the name to appear under
     */
    public record JoinRequest(String room, String name) {
    }

    private Presence(Namespace namespace) {
        this.namespace = namespace;
    }

    /** Adds presence to a namespace: listens for the presence events of every socket that connects. */
    public static Presence attach(Namespace namespace) {
        Presence presence = new Presence(Objects.requireNonNull(namespace, "namespace"));
        namespace.onConnection(presence::wire);
        return presence;
    }

    private void wire(EventSocket socket) {
        socket.on(JOIN, JoinRequest.class, (request, event) -> {
            // acked when the list comes (from every node with a cluster adapter): never waited for
            // on the socket's thread, which goes on reading meanwhile; the ack is attached before the
            // push starts, so it goes out right after that push, before the room's next one
            CompletableFuture<List<Member>> answer = new CompletableFuture<>();
            answer.whenComplete((members, error) -> event.ack(error != null
                    ? Map.of("error", "the member list is unavailable")
                    : new RoomMembers(request.room(), members)));
            try {
                join(socket, request == null ? null : request.room(), request == null ? null : request.name(), answer);
            } catch (IllegalArgumentException e) {
                event.ack(Map.of("error", e.getMessage()));
            }
        });
        socket.on(LEAVE, String.class, (room, event) -> leave(socket, room));
        socket.on(RENAME, String.class, (name, event) -> {
            try {
                rename(socket, name);
                event.ack(Map.of("name", name));
            } catch (IllegalArgumentException e) {
                event.ack(Map.of("error", e.getMessage()));
            }
        });
        List<String> rejoined = new ArrayList<>();
        socket.onDisconnecting(reason -> rejoined.addAll(rooms(socket)));
        socket.onDisconnect(reason -> rejoined.forEach(this::push));
        if (socket.recovered()) {
            rooms(socket).forEach(this::push);
        }
    }

    /**
     * Puts a socket in a room under a name (the name is the socket's, in every room) and pushes the
     * room's list.
     *
     * @return the first list pushed to the room that was taken after this join
     * @throws IllegalArgumentException for a blank or too long name or room, or too many rooms
     */
    public CompletableFuture<List<Member>> join(EventSocket socket, String room, String name) {
        return join(socket, room, name, new CompletableFuture<>());
    }

    private CompletableFuture<List<Member>> join(EventSocket socket, String room, String name,
                                                 CompletableFuture<List<Member>> answer) {
        check(room, MAX_ROOM_LENGTH, "room");
        check(name, MAX_NAME_LENGTH, "name");
        Set<String> rooms = new LinkedHashSet<>(rooms(socket));
        if (rooms.add(room) && rooms.size() > MAX_ROOMS) {
            throw new IllegalArgumentException("at most " + MAX_ROOMS + " presence rooms per socket");
        }
        socket.data().put(NAME_KEY, name);
        socket.data().put(ROOMS_KEY, List.copyOf(rooms));
        // pushed once broadcasts to the room reach the socket from every node (a cluster adapter's
        // room subscription), so a list another node pushes cannot miss it; a failed subscription
        // still pushes (the socket is in the room here) and answers with the list
        socket.join(room).whenComplete((joined, error) -> {
            for (String each : rooms) {
                push(each, each.equals(room) ? answer : null);
            }
        });
        return answer;
    }

    /** Takes a socket out of a room's list (and the room) and pushes the list. */
    public void leave(EventSocket socket, String room) {
        Set<String> rooms = new LinkedHashSet<>(rooms(socket));
        if (!rooms.remove(room)) {
            return;
        }
        socket.data().put(ROOMS_KEY, List.copyOf(rooms));
        socket.leave(room);
        push(room);
    }

    /** Renames a socket and pushes the lists of its rooms. */
    public void rename(EventSocket socket, String name) {
        check(name, MAX_NAME_LENGTH, "name");
        socket.data().put(NAME_KEY, name);
        rooms(socket).forEach(this::push);
    }

    /** A room's members, sorted by name then id, across the cluster. */
    public CompletableFuture<List<Member>> members(String room) {
        return namespace.to(room).fetchSockets().thenApply(sockets -> {
            List<Member> members = new ArrayList<>();
            for (RemoteSocket socket : sockets) {
                String name = socket.data(NAME_KEY, String.class);
                List<?> rooms = socket.data(ROOMS_KEY, List.class);
                if (name != null && rooms != null && rooms.contains(room)) {
                    members.add(new Member(socket.id(), name));
                }
            }
            members.sort(Comparator.comparing(Member::name).thenComparing(Member::id));
            return members;
        });
    }

    private void push(String room) {
        push(room, null);
    }

    /**
     * Pushes a room's list, one push per room at a time: a change made while a push is under way is
     * pushed once that one is done, with a list taken after it. So the lists reach the room in the
     * order they were taken, and the last one shows every change; without that, two pushes that took
     * their lists at nearly the same time could arrive in the other order, and the room would keep
     * showing the older list. Changes that come during one push share the next. One call pushes at
     * most {@link #ROUNDS_PER_CALL} times in a row; under constant churn the rest go on as scheduler actions.
     *
     * @param answer completed with the list pushed next (or failed), or null
     */
    private void push(String room, CompletableFuture<List<Member>> answer) {
        RoomPush push;
        lock.lock();
        try {
            push = pushes.get(room);
            if (push != null) {
                push.again(answer);
                return;
            }
            push = new RoomPush();
            pushes.put(room, push);
        } finally {
            lock.unlock();
        }
        run(room, push, answer == null ? List.of() : List.of(answer));
    }

    /**
     * Takes and pushes the room's list, again while changes came meanwhile (a loop where the list comes
     * at once), at most {@link #ROUNDS_PER_CALL} times: then the next push is handed to the server's
     * {@link Scheduler}, so that changes that keep coming do not keep the thread that started the push
     * (a socket's, an event loop's, the adapter's) in this loop for as long as they come.
     */
    private void run(String room, RoomPush push, List<CompletableFuture<List<Member>>> answers) {
        for (int round = 0; answers != null; round++) {
            if (round == ROUNDS_PER_CALL && handOff(room, push, answers)) {
                return;
            }
            CompletableFuture<List<Member>> list;
            try {
                list = members(room);
            } catch (RuntimeException e) {
                list = CompletableFuture.failedFuture(e);
            }
            if (!list.isDone()) {
                List<CompletableFuture<List<Member>>> waiting = answers;
                list.whenComplete((members, error) -> {
                    deliver(room, members, error, waiting);
                    run(room, push, next(room, push));
                });
                return;
            }
            List<Member> members = null;
            Throwable error = null;
            try {
                members = list.join();
            } catch (RuntimeException e) {
                error = e;
            }
            deliver(room, members, error, answers);
            answers = next(room, push);
        }
    }

    /** Runs the room's next push as a scheduler action (false, to go on here, if it takes none). */
    private boolean handOff(String room, RoomPush push, List<CompletableFuture<List<Member>>> answers) {
        try {
            namespace.server().scheduler().schedule(Duration.ZERO, () -> run(room, push, answers));
            return true;
        } catch (RuntimeException e) {
            LOG.debug("presence: the scheduler took no push of room {}: {}", room, e.toString());
            return false;
        }
    }

    private void deliver(String room, List<Member> members, Throwable error,
                         List<CompletableFuture<List<Member>>> answers) {
        if (error == null) {
            try {
                namespace.to(room).emit(LIST, new RoomMembers(room, members));
            } catch (RuntimeException e) {
                error = e;
            }
        }
        if (error != null) {
            LOG.warn("presence: the list of room {} could not be pushed", room, error);
        }
        for (CompletableFuture<List<Member>> answer : answers) {
            if (error == null) {
                answer.complete(members);
            } else {
                answer.completeExceptionally(error);
            }
        }
    }

    /** The answers for the room's next push, or null when no change came meanwhile (the push is over). */
    private List<CompletableFuture<List<Member>>> next(String room, RoomPush push) {
        lock.lock();
        try {
            if (!push.again) {
                pushes.remove(room);
                return null;
            }
            push.again = false;
            List<CompletableFuture<List<Member>>> answers = push.answers;
            push.answers = new ArrayList<>();
            return answers;
        } finally {
            lock.unlock();
        }
    }

    /** A room's push under way: whether a change came meanwhile, and the answers waiting for the next list. */
    private static final class RoomPush {
        boolean again;
        List<CompletableFuture<List<Member>>> answers = new ArrayList<>();

        void again(CompletableFuture<List<Member>> answer) {
            again = true;
            if (answer != null) {
                answers.add(answer);
            }
        }
    }

    private static List<String> rooms(EventSocket socket) {
        Object rooms = socket.data().get(ROOMS_KEY);
        if (!(rooms instanceof Collection<?> collection)) {
            return List.of();
        }
        return collection.stream().map(String::valueOf).toList();
    }

    private static void check(String value, int max, String what) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException("a presence " + what + " has 1 to " + max + " characters");
        }
    }
}
