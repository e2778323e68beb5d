package ws.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.EventServer;
import ws.events.EventSocket;
import ws.events.Namespace;
import ws.events.Presence;
import ws.events.RateLimit;
import ws.events.Recovery;
import ws.events.RemoteSocket;
import ws.events.spi.AdapterFactory;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * The chat of {@code ws chat}: an event server (Socket.IO v5) with rooms, the user list of each room
 * (presence), a short history per room, and connection state recovery, plus the page that talks to
 * it, served on the same port.
 *
 * <p>Events from a page: {@code join {name, room}} (ack: the room, its members, its history, the
 * rooms), {@code message text} (sent to the room, the sender included, with an id that pages use to
 * show each message once), {@code rename name}. Events to pages: {@code message {id, room, from, text}},
 * {@code presence {room, members}} (ws.events {@link Presence}: on every join, leave, rename,
 * disconnection and recovery), {@code rooms [{name, users}]}.
 */
final class ChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    /** How many messages of each room a page gets when it joins. */
    static final int HISTORY = 100;
    private static final Pattern ROOM = Pattern.compile("[\\p{L}\\p{N}_-]{1,32}");
    private static final int MAX_NAME = 32;
    private static final int MAX_TEXT = 2_000;
    private static final Map<String, String> PAGE = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/chat.js", "chat.js",
            "/chat.css", "chat.css",
            "/events-client.js", "events-client.js");

    /** A message as pages see it. */
    record Message(long id, String room, String from, String text) {
    }

    /** What a page sends to join a room. */
    record Join(String name, String room) {
    }

    /** What a page gets back when it joined. */
    record Joined(String room, List<Presence.Member> members, List<Message> history, List<RoomInfo> rooms) {
    }

    /** A room and how many are in it. */
    record RoomInfo(String name, int users) {
    }

    private final EventServer events;
    private final Namespace chat;
    private final Presence presence;
    private final WebSocketServer server;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ArrayDeque<Message>> histories = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private ChatServer(String host, int port, Transport transport, AdapterFactory adapter) throws IOException {
        events = EventServer.builder()
                .adapter(adapter)
                .recovery(Recovery.defaults())
                .rateLimit(RateLimit.of(20, Duration.ofSeconds(1)))
                .build();
        chat = events.sockets();
        presence = Presence.attach(chat);
        chat.onConnection(this::connected);
        server = events.mount(WebSocketServer.builder().host(host).port(port).transport(transport))
                .http("/*", HttpHandler.responding(request -> page(request.path())))
                .start();
    }

    /** Starts the chat on {@code host:port} (0: a free port). */
    static ChatServer start(String host, int port, Transport transport) throws IOException {
        return start(host, port, transport, AdapterFactory.inMemory());
    }

    /** Starts the chat as one node of a cluster whose nodes share rooms through {@code adapter} (Redis). */
    static ChatServer start(String host, int port, Transport transport, AdapterFactory adapter) throws IOException {
        return new ChatServer(host, port, transport, adapter);
    }

    /** The WebSocket server it runs on. */
    WebSocketServer server() {
        return server;
    }

    /** The event server (for tests: its sockets). */
    EventServer events() {
        return events;
    }

    private void connected(EventSocket socket) {
        socket.on("join", Join.class, (join, event) -> join(socket, join).thenAccept(event::ack));
        socket.on("message", String.class, (text, event) -> {
            Optional<String> room = room(socket);
            if (text == null || text.isBlank() || text.length() > MAX_TEXT || room.isEmpty()) {
                return;
            }
            Message message = new Message(ids.incrementAndGet(), room.get(), name(socket), text.strip());
            remember(message);
            chat.to(room.get()).emit("message", message);
            event.ack(message.id());
        });
        socket.on("rename", String.class, (name, event) -> {
            if (validName(name)) {
                socket.data().put("name", name.strip());
                presence.rename(socket, name.strip());
            }
        });
        socket.onDisconnect(reason -> pushRooms()); // presence pushes the room's members itself
        if (socket.recovered()) {
            pushRooms();
        }
    }

    private CompletableFuture<Object> join(EventSocket socket, Join join) {
        if (join == null || !validName(join.name()) || join.room() == null || !ROOM.matcher(join.room()).matches()) {
            return CompletableFuture.completedFuture(Map.of("error", "a name of 1 to " + MAX_NAME
                    + " characters and a room of 1 to 32 letters, digits, _ or - please"));
        }
        room(socket).filter(room -> !room.equals(join.room())).ifPresent(room -> presence.leave(socket, room));
        socket.data().put("name", join.name().strip());
        socket.data().put("room", join.room());
        CompletableFuture<List<Presence.Member>> listed = presence.join(socket, join.room(), join.name().strip());
        pushRooms();
        return listed.thenCombine(rooms(),
                (members, rooms) -> new Joined(join.room(), members, history(join.room()), rooms));
    }

    private static boolean validName(String name) {
        return name != null && !name.isBlank() && name.strip().length() <= MAX_NAME;
    }

    private static Optional<String> room(EventSocket socket) {
        return Optional.ofNullable(socket.data().get("room")).map(Object::toString);
    }

    private static String name(EventSocket socket) {
        return Objects.toString(socket.data().get("name"), "guest");
    }

    /** The rooms and their users over every node of the cluster (fetchSockets: this node alone without Redis). */
    private CompletableFuture<List<RoomInfo>> rooms() {
        return chat.fetchSockets().thenApply(sockets -> {
            Map<String, Integer> counts = new TreeMap<>(); // in name order
            counts.put("lobby", 0);
            for (RemoteSocket socket : sockets) {
                String room = socket.data("room", String.class);
                if (room != null) {
                    counts.merge(room, 1, Integer::sum);
                }
            }
            List<RoomInfo> rooms = new ArrayList<>();
            counts.forEach((name, users) -> rooms.add(new RoomInfo(name, users)));
            return rooms;
        });
    }

    private void pushRooms() {
        rooms().thenAccept(rooms -> chat.emit("rooms", rooms)).exceptionally(error -> {
            LOG.warn("chat: the room list could not be pushed", error);
            return null;
        });
    }

    private void remember(Message message) {
        lock.lock();
        try {
            ArrayDeque<Message> history = histories.computeIfAbsent(message.room(), room -> new ArrayDeque<>());
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(message);
        } finally {
            lock.unlock();
        }
    }

    private List<Message> history(String room) {
        lock.lock();
        try {
            return List.copyOf(histories.getOrDefault(room, new ArrayDeque<>()));
        } finally {
            lock.unlock();
        }
    }

    private static HandshakeResponse page(String path) {
        String file = PAGE.get(path);
        if (path.equals("/favicon.ico")) {
            return new HandshakeResponse(204, "No Content", HttpHeaders.builder().build(), new byte[0]);
        }
        if (file == null) {
            return HandshakeResponse.text(404, "not found: " + path);
        }
        try (InputStream in = ChatServer.class.getResourceAsStream("chat/" + file)) {
            if (in == null) {
                return HandshakeResponse.text(500, "missing resource " + file);
            }
            String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                    : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            return new HandshakeResponse(200, "OK", HttpHeaders.builder().add("Content-Type", type)
                    .add("Cache-Control", "no-cache").build(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        events.close();
        server.close();
    }
}
