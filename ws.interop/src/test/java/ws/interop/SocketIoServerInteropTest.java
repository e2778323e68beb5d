package ws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.events.Arguments;
import ws.events.client.ClientSocket;
import ws.events.client.ConnectErrorException;
import ws.events.client.DisconnectReason;
import ws.events.client.EventClient;
import ws.events.client.Reconnection;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;

/**
 * Our Socket.IO client (ws.events.client) against the npm socket.io v4 server
 * (interop/node/socketio-server.mjs): the reference implementation of the protocol's server side.
 */
class SocketIoServerInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Short delays, so that reconnecting takes a moment; the first attempt comes after 50-150 ms. */
    private static final Reconnection QUICK = Reconnection.DEFAULT.withDelays(Duration.ofMillis(100), Duration.ofMillis(500));
    private static PeerProcess node;
    private static URI server;
    private final List<EventClient> clients = new ArrayList<>();

    /** A record bound from and to the events' JSON. */
    record Message(String from, String text, byte[] attachment) {
    }

    @BeforeAll
    static void startSocketIoServer() throws Exception {
        if (Peers.socketIoServerMissing().isPresent()) {
            return; // each test skips or fails with the reason
        }
        node = PeerProcess.start(Peers.nodeDirectory(), List.of("node", "socketio-server.mjs"));
        String line = node.nextLine(TIMEOUT);
        if (!line.startsWith("listening ")) {
            throw new AssertionError("unexpected first line from the socket.io server: " + line + "\n" + node.describe());
        }
        server = URI.create("http://127.0.0.1:" + line.substring("listening ".length()).strip());
    }

    @AfterAll
    static void stopSocketIoServer() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void requireSocketIo() {
        PeerAssumptions.requirePeer("node socket.io", Peers::socketIoServerMissing);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(EventClient::close);
    }

    private EventClient client() {
        return client(EventClient.builder(server).reconnection(QUICK));
    }

    private EventClient client(EventClient.Builder builder) {
        EventClient client = builder.build();
        clients.add(client);
        return client;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T value = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (value == null) {
            throw new AssertionError("nothing arrived within " + TIMEOUT + "\n" + node.describe());
        }
        return value;
    }

    /** The next line of the server that starts with {@code prefix} (other lines are skipped). */
    private static String serverLine(String prefix) throws InterruptedException {
        for (String line = node.nextLine(TIMEOUT); ; line = node.nextLine(TIMEOUT)) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void connectsAndGetsItsEmitsAcknowledged(String transport) throws Exception {
        try (WebSocketClient webSockets = WebSocketClient.builder().transport(Transport.named(transport)).build()) {
            ClientSocket socket = client(EventClient.builder(server).webSocketClient(webSockets)).socket();
            await(socket.connect());
            assertTrue(socket.connected());
            assertNotNull(socket.id());
            assertFalse(socket.recovered());

            Arguments reply = await(socket.emitWithAck("echo", "héllo ✓", 42, Map.of("nested", List.of(1, 2))));
            assertEquals(3, reply.size());
            assertEquals("héllo ✓", reply.get(0, String.class));
            assertEquals(42, reply.get(1, Integer.class));
            assertEquals("{\"nested\":[1,2]}", reply.get(2).toString());
        }
    }

    @Test
    void recordsAndBinaryAttachmentsGoBothWays() throws Exception {
        ClientSocket socket = client().socket();
        await(socket.connect());
        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Message message = new Message("java", "a file", bytes);
        Arguments reply = await(socket.emitWithAck("echo", message, new byte[] {1, 2, 3}));
        Message back = reply.get(0, Message.class);
        assertEquals("java", back.from());
        assertEquals("a file", back.text());
        assertArrayEquals(bytes, back.attachment());
        assertArrayEquals(new byte[] {1, 2, 3}, reply.get(1, byte[].class));
        assertTrue(reply.get(1).isBinary(), "a Buffer arrives as binary, not base64 text: " + reply.get(1));
    }

    @Test
    void namespacesShareOneConnection() throws Exception {
        EventClient client = client();
        ClientSocket main = client.socket();
        ClientSocket chat = client.socket("/chat");
        await(main.connect());
        await(chat.connect());
        String engineId = await(main.emitWithAck("engine")).get(0, String.class);
        assertEquals("hi", await(chat.emitWithAck("echo", "hi")).get(0, String.class));
        assertEquals("connected /chat " + engineId, serverLine("connected /chat"));
        assertTrue(!main.id().equals(chat.id()), "each namespace has its own socket id");
    }

    @Test
    void authPayloadReachesTheMiddleware() throws Exception {
        ClientSocket secure = client().socket("/secure", () -> Map.of("token", "good", "name", "ada"));
        BlockingQueue<String> hello = new LinkedBlockingQueue<>();
        secure.on("hello", String.class, hello::add);
        await(secure.connect());
        assertEquals("ada", next(hello));
    }

    @Test
    void aRefusingMiddlewareFailsTheConnectionWithItsMessageAndData() throws Exception {
        ClientSocket secure = client().socket("/secure", () -> Map.of("token", "bad"));
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        secure.onConnectError(errors::add);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(secure.connect()));
        ConnectErrorException refused = assertInstanceOf(ConnectErrorException.class, failure.getCause());
        assertEquals("not authorized", refused.getMessage());
        assertEquals("bad token", refused.data().path("reason").asText());
        assertInstanceOf(ConnectErrorException.class, next(errors));
        assertFalse(secure.connected());
    }

    @Test
    void theServersAckIsAnswered() throws Exception {
        ClientSocket socket = client().socket();
        socket.on("question", event -> event.ack("forty-two", event.arg(0, String.class).length()));
        await(socket.connect());
        await(socket.emit("ask", "the meaning?"));
        assertEquals("answer [\"forty-two\",12]", serverLine("answer "));
    }

    @Test
    void roomsReachEveryoneButTheSender() throws Exception {
        ClientSocket alice = client().socket();
        ClientSocket bob = client().socket();
        BlockingQueue<String> aliceGot = new LinkedBlockingQueue<>();
        BlockingQueue<String> bobGot = new LinkedBlockingQueue<>();
        alice.on("said", String.class, aliceGot::add);
        bob.on("said", String.class, bobGot::add);
        await(alice.connect());
        await(bob.connect());
        String[] rooms = await(alice.emitWithAck("join", "lobby")).get(0, String[].class);
        assertEquals(Set.of(alice.id(), "lobby"), Set.of(rooms), "every socket is in a room of its own id");
        await(bob.emitWithAck("join", "lobby"));

        await(alice.emit("say", "lobby", "hello bob"));
        assertEquals("hello bob", next(bobGot));
        await(alice.emitWithAck("echo")); // a round trip after the broadcast: alice would have had it by now
        assertTrue(aliceGot.isEmpty(), "the sender is left out: " + aliceGot);
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnectionAndSendsWhatWasEmittedMeanwhile() throws Exception {
        EventClient client = client();
        ClientSocket socket = client.socket();
        BlockingQueue<String> lifecycle = new LinkedBlockingQueue<>();
        List<CompletableFuture<Arguments>> emittedWhileAway = new ArrayList<>();
        socket.onConnect(() -> lifecycle.add("connect"));
        socket.onDisconnect(reason -> {
            lifecycle.add("disconnect " + reason);
            // runs before any reconnection: these wait in the send buffer
            emittedWhileAway.add(socket.emitWithAck("echo", "buffered 1"));
            emittedWhileAway.add(socket.emitWithAck("echo", "buffered 2"));
        });
        client.onReconnectAttempt(attempt -> lifecycle.add("reconnect_attempt " + attempt));
        client.onReconnect(attempts -> lifecycle.add("reconnect " + attempts));
        await(socket.connect());
        assertEquals("connect", next(lifecycle));
        String firstId = socket.id();

        socket.emit("drop");
        assertEquals("disconnect transport close", next(lifecycle));
        assertEquals("reconnect_attempt 1", next(lifecycle));
        assertEquals("reconnect 1", next(lifecycle));
        assertEquals("connect", next(lifecycle));
        assertTrue(socket.connected());
        assertEquals("buffered 1", await(emittedWhileAway.get(0)).get(0, String.class));
        assertEquals("buffered 2", await(emittedWhileAway.get(1)).get(0, String.class));
        assertNotNull(socket.id());
        assertNotNull(firstId);
    }

    @Test
    void recoversItsSessionAndGetsEveryMissedEventOnceInOrder() throws Exception {
        ClientSocket socket = client().socket();
        BlockingQueue<Integer> news = new LinkedBlockingQueue<>();
        BlockingQueue<String> lifecycle = new LinkedBlockingQueue<>();
        socket.on("news", Integer.class, news::add);
        socket.onConnect(() -> lifecycle.add("connect recovered=" + socket.recovered()));
        socket.onDisconnect(reason -> lifecycle.add("disconnect " + reason));
        await(socket.connect());
        assertEquals("connect recovered=false", next(lifecycle));
        String id = socket.id();
        await(socket.emitWithAck("join", "news-room"));
        await(socket.emit("news", "news-room", 0, 1)); // a first broadcast gives the client an offset
        assertEquals(0, next(news));

        await(socket.emit("drop-then-news", "news-room", 1, 4)); // 1, 2, 3 are emitted while we are away
        assertEquals("disconnect transport close", next(lifecycle));
        assertEquals("connect recovered=true", next(lifecycle));
        assertTrue(socket.recovered());
        assertEquals(id, socket.id(), "a recovered session keeps its id");
        assertEquals(1, next(news));
        assertEquals(2, next(news));
        assertEquals(3, next(news));
        assertEquals("recovered / " + id, serverLine("recovered "));
        await(socket.emit("news", "news-room", 4, 5)); // and the room is still joined
        assertEquals(4, next(news));
        assertTrue(news.isEmpty(), "each missed event once: " + news);
    }

    @Test
    void aServerDisconnectIsFinal() throws Exception {
        EventClient client = client();
        ClientSocket socket = client.socket();
        BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> attempts = new LinkedBlockingQueue<>();
        socket.onDisconnect(reasons::add);
        client.onReconnectAttempt(attempts::add);
        await(socket.connect());
        socket.emit("kick");
        assertEquals(DisconnectReason.IO_SERVER_DISCONNECT, next(reasons));
        assertFalse(socket.connected());
        assertFalse(DisconnectReason.IO_SERVER_DISCONNECT.reconnects());
        assertTrue(attempts.isEmpty());
    }
}
