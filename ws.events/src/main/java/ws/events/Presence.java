package ws.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
    private static final Logger LOG = LoggerFactory.getLogger(Presence.class);
    private static final String NAME_KEY = "presence.name";
    private static final String ROOMS_KEY = "presence.rooms";

    private final Namespace namespace;

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
            try {
                join(socket, request == null ? null : request.room(), request == null ? null : request.name());
            } catch (IllegalArgumentException e) {
                event.ack(java.util.Map.of("error", e.getMessage()));
                return;
            }
            // acked when the list comes (from every node with a cluster adapter): never waited for
            // on the socket's thread, which goes on reading meanwhile
            members(request.room()).whenComplete((members, error) -> {
                if (error != null) {
                    LOG.warn("presence: the members of room {} could not be listed", request.room(), error);
                    event.ack(java.util.Map.of("error", "the member list is unavailable"));
                } else {
                    event.ack(new RoomMembers(request.room(), members));
                }
            });
        });
        socket.on(LEAVE, String.class, (room, event) -> leave(socket, room));
        socket.on(RENAME, String.class, (name, event) -> {
            try {
                rename(socket, name);
                event.ack(java.util.Map.of("name", name));
            } catch (IllegalArgumentException e) {
                event.ack(java.util.Map.of("error", e.getMessage()));
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
     * @throws IllegalArgumentException for a blank or too long name or room, or too many rooms
     */
    public void join(EventSocket socket, String room, String name) {
        check(room, MAX_ROOM_LENGTH, "room");
        check(name, MAX_NAME_LENGTH, "name");
        Set<String> rooms = new LinkedHashSet<>(rooms(socket));
        if (rooms.add(room) && rooms.size() > MAX_ROOMS) {
            throw new IllegalArgumentException("at most " + MAX_ROOMS + " presence rooms per socket");
        }
        socket.data().put(NAME_KEY, name);
        socket.data().put(ROOMS_KEY, List.copyOf(rooms));
        socket.join(room);
        for (String each : rooms) {
            push(each);
        }
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
        members(room).thenAccept(members -> namespace.to(room).emit(LIST, new RoomMembers(room, members)))
                .exceptionally(error -> {
                    LOG.warn("presence: the list of room {} could not be pushed", room, error);
                    return null;
                });
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
