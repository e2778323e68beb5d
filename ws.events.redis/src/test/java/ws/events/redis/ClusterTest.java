package ws.events.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ws.events.EventServer;
import ws.events.Presence;
import ws.events.RemoteSocket;
import ws.events.client.ClientSocket;

/**
 * Servers of one cluster in one JVM, sharing a real redis-server: what a client emits on one node
 * reaches the clients of the others, once each, and the operations on many sockets reach every node.
 */
class ClusterTest {
    /** Whether the nodes use the sharded mode ({@link ShardedClusterTest}). */
    boolean sharded() {
        return false;
    }

    static final int WAIT = 20;
    static RedisProcess redis;
    private final List<Node> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::close);
    }

    /** The Redis the nodes share. */
    String redisUri() {
        return redis.uri();
    }

    /** The adapter options of every node. */
    RedisAdapterFactory.Builder options(RedisAdapterFactory.Builder builder) {
        return builder.sharded(sharded());
    }

    /** An emitter of the cluster. */
    RedisEmitter emitter() {
        return RedisEmitter.connect(redisUri(), "socket.io", new com.fasterxml.jackson.databind.ObjectMapper(), sharded());
    }

    /** A node whose sockets join rooms ("join", acked) and speak to them ("say": room, text). */
    Node node() throws Exception {
        Node node = new Node(redisUri(), builder -> builder, this::options);
        wire(node.events);
        nodes.add(node);
        return node;
    }

    static void wire(EventServer events) {
        Presence.attach(events.sockets());
        events.sockets().onConnection(socket -> {
            // acked once broadcasts to the room from every node reach the socket
            socket.on("join", String.class, (room, event) -> socket.join(room)
                    .whenComplete((joined, error) -> event.ack(error == null)));
            socket.on("say", String.class, String.class, (room, text, event) -> socket.to(room).emit("said", text));
            socket.on("shout", String.class, String.class, (room, text, event) ->
                    socket.namespace().to(room).except("muted").emit("said", text));
        });
    }

    /** A connected client of {@code node} that put what it hears ("said") in {@code heard}. */
    static ClientSocket client(Node node, BlockingQueue<String> heard, String... rooms) {
        ClientSocket client = node.client();
        client.on("said", String.class, heard::add);
        client.connect().join();
        for (String room : rooms) {
            client.emitWithAck("join", room).join();
        }
        return client;
    }

    @Test
    void aRoomEmitOnOneNodeReachesTheRoomOnEveryOtherNodeOnce() throws Exception {
        Node a = node();
        Node b = node();
        Node c = node();
        BlockingQueue<String> atA = new LinkedBlockingQueue<>();
        BlockingQueue<String> atB = new LinkedBlockingQueue<>();
        BlockingQueue<String> atC = new LinkedBlockingQueue<>();
        BlockingQueue<String> outside = new LinkedBlockingQueue<>();
        ClientSocket sender = client(a, atA, "room");
        client(b, atB, "room");
        client(c, atC, "room");
        client(c, outside, "elsewhere");

        sender.emit("say", "room", "hello");

        assertEquals("hello", atB.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("hello", atC.poll(WAIT, TimeUnit.SECONDS));
        sender.emit("say", "room", "second");
        assertEquals("second", atB.poll(WAIT, TimeUnit.SECONDS), "once each, in order");
        assertEquals("second", atC.poll(WAIT, TimeUnit.SECONDS), "once each, in order");
        assertNull(atA.poll(300, TimeUnit.MILLISECONDS), "the sender is left out");
        assertNull(outside.poll(0, TimeUnit.MILLISECONDS), "a socket of another room hears nothing");
    }

    @Test
    void exceptLeavesOutTheSocketsOfARoomOnEveryNode() throws Exception {
        Node a = node();
        Node b = node();
        BlockingQueue<String> talker = new LinkedBlockingQueue<>();
        BlockingQueue<String> listener = new LinkedBlockingQueue<>();
        BlockingQueue<String> muted = new LinkedBlockingQueue<>();
        ClientSocket sender = client(a, talker, "room");
        client(b, listener, "room");
        client(b, muted, "room", "muted");

        sender.emit("shout", "room", "hi all");

        assertEquals("hi all", listener.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("hi all", talker.poll(WAIT, TimeUnit.SECONDS), "a namespace emit reaches the sender too");
        assertNull(muted.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void fetchSocketsAndRoomOperationsReachTheSocketsOfEveryNode() throws Exception {
        Node a = node();
        Node b = node();
        Node c = node();
        ClientSocket onA = client(a, new LinkedBlockingQueue<>(), "room");
        ClientSocket onB = client(b, new LinkedBlockingQueue<>(), "room");
        BlockingQueue<String> heardOnC = new LinkedBlockingQueue<>();
        ClientSocket onC = client(c, heardOnC);

        List<RemoteSocket> inRoom = a.events.sockets().to("room").fetchSockets().get(WAIT, TimeUnit.SECONDS);
        assertEquals(Set.of(onA.id(), onB.id()), inRoom.stream().map(RemoteSocket::id).collect(Collectors.toSet()));
        RemoteSocket remote = inRoom.stream().filter(s -> s.id().equals(onB.id())).findFirst().orElseThrow();
        assertTrue(remote.rooms().contains("room"), "its rooms come from its node: " + remote.rooms());
        assertTrue(remote.handshake().has("headers"), "its handshake comes along: " + remote.handshake());

        // a socket of C joins a room from A, then hears what is said to it
        a.events.sockets().to(onC.id()).socketsJoin("room");
        awaitMembers(b, "room", 3);
        onA.emit("say", "room", "welcome");
        assertEquals("welcome", heardOnC.poll(WAIT, TimeUnit.SECONDS));

        // and leaves it, then is disconnected from B
        b.events.sockets().to(onC.id()).socketsLeave("room");
        awaitMembers(a, "room", 2);
        b.events.sockets().to(onC.id()).disconnectSockets(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (onC.connected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!onC.connected(), "disconnected by another node");
        // C sends the DISCONNECT packet before it forgets the socket: the client can see it first
        awaitSockets(a, 2);
    }

    @Test
    void anEmitWithAcksGathersTheAnswersOfEveryNode() throws Exception {
        Node a = node();
        Node b = node();
        Node c = node();
        for (var entry : java.util.Map.of("ann", a, "bob", b, "cid", c).entrySet()) {
            ClientSocket client = entry.getValue().client();
            client.on("poll", event -> event.ack(entry.getKey()));
            client.connect().join();
            client.emitWithAck("join", "room").join();
        }
        ClientSocket silent = c.client();
        silent.connect().join();

        List<ws.events.Arguments> answers = a.events.sockets().to("room")
                .emitWithAck(java.time.Duration.ofSeconds(WAIT), "poll").get(WAIT, TimeUnit.SECONDS);

        assertEquals(Set.of("ann", "bob", "cid"),
                answers.stream().map(answer -> answer.get(0, String.class)).collect(Collectors.toSet()));
    }

    @Test
    void anEmitWithAcksFailsWhenASocketOfAnotherNodeDoesNotAnswerInTime() throws Exception {
        Node a = node();
        Node b = node();
        ClientSocket answering = a.client();
        answering.on("poll", event -> event.ack("here"));
        answering.connect().join();
        answering.emitWithAck("join", "room").join();
        ClientSocket mute = b.client();
        mute.on("poll", event -> { });
        mute.connect().join();
        mute.emitWithAck("join", "room").join();

        var result = a.events.sockets().to("room").emitWithAck(java.time.Duration.ofMillis(1500), "poll");

        var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> result.get(WAIT, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof java.util.concurrent.TimeoutException, failure.toString());
    }

    @Test
    void presenceListsTheMembersOfEveryNode() throws Exception {
        Node a = node();
        Node b = node();
        BlockingQueue<String> lists = new LinkedBlockingQueue<>();
        ClientSocket ann = a.client();
        ann.on(Presence.LIST, Presence.RoomMembers.class, members -> lists.add(
                members.members().stream().map(Presence.Member::name).sorted().collect(Collectors.joining(","))));
        ann.connect().join();
        ann.emitWithAck(Presence.JOIN, new Presence.JoinRequest("lobby", "ann")).join();
        ClientSocket bob = b.client();
        bob.connect().join();

        var answer = bob.emitWithAck(Presence.JOIN, new Presence.JoinRequest("lobby", "bob")).get(WAIT, TimeUnit.SECONDS);

        assertEquals(2, answer.get(0).get("members").size(), "bob's node sees ann: " + answer);
        String list;
        do {
            list = lists.poll(WAIT, TimeUnit.SECONDS);
        } while (list != null && !list.equals("ann,bob"));
        assertEquals("ann,bob", list, "ann's node pushed the list with bob");
    }

    @Test
    void anEmitterWithoutSocketsReachesTheRoomsOfEveryNode() throws Exception {
        Node a = node();
        Node b = node();
        BlockingQueue<String> atA = new LinkedBlockingQueue<>();
        BlockingQueue<String> atB = new LinkedBlockingQueue<>();
        client(a, atA, "news");
        client(b, atB, "news");
        ClientSocket joiner = client(b, new LinkedBlockingQueue<>());

        try (RedisEmitter emitter = emitter()) {
            emitter.of("/").to("news").emit("said", "extra");
            assertEquals("extra", atA.poll(WAIT, TimeUnit.SECONDS));
            assertEquals("extra", atB.poll(WAIT, TimeUnit.SECONDS));
            emitter.of("/").to(joiner.id()).socketsJoin("news");
            awaitMembers(a, "news", 3);
        }
    }

    @Test
    void binaryArgumentsCrossNodesAsBinary() throws Exception {
        Node a = node();
        Node b = node();
        BlockingQueue<byte[]> atB = new LinkedBlockingQueue<>();
        ClientSocket listener = b.client();
        listener.on("blob", byte[].class, atB::add);
        listener.connect().join();

        a.events.sockets().emit("blob", (Object) new byte[] {0, 1, 2, (byte) 255});

        byte[] got = atB.poll(WAIT, TimeUnit.SECONDS);
        assertEquals(JsonNodeFactory.instance.binaryNode(new byte[] {0, 1, 2, (byte) 255}),
                JsonNodeFactory.instance.binaryNode(got));
    }

    static void awaitMembers(Node node, String room, int count) throws Exception {
        await(node.events.sockets().to(room), count, "members of " + room);
    }

    /** Waits until the namespace's sockets on every node, as {@code node} fetches them, are {@code count}. */
    static void awaitSockets(Node node, int count) throws Exception {
        await(node.events.sockets().all(), count, "sockets of the namespace");
    }

    private static void await(ws.events.Broadcast selection, int count, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        int seen = -1;
        while (System.nanoTime() < deadline) {
            seen = selection.fetchSockets().get(WAIT, TimeUnit.SECONDS).size();
            if (seen == count) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(count, seen, what);
    }
}
