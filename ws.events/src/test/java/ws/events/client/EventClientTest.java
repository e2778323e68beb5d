package ws.events.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import ws.events.Arguments;
import ws.events.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ws.protocol.api.Backoff;
import ws.testkit.Loopback;

/**
 * The client against a server scripted by the test on the loopback network, with time in the test's
 * hands (a {@link ManualScheduler}): the heartbeat, ack timeouts, the backoff between attempts, the
 * send buffer, the CONNECT packet (auth, recovery).
 */
class EventClientTest {
    private static final Duration WAIT = ScriptedServer.WAIT;
    /** A random source that always says 0.5. */
    private static final RandomGenerator MIDDLE = () -> Long.MIN_VALUE; // nextDouble(): 0.5
    /** Socket.IO's delays without jitter: exact, 1 s, 2 s, 4 s, 5 s. */
    private static final Reconnection EXACT = Reconnection.DEFAULT.withJitter(Backoff.Jitter.NONE);

    private Loopback loopback;
    private ManualScheduler timers;
    private ScriptedServer server;
    private EventClient client;

    @BeforeEach
    void start() {
        loopback = Loopback.withSystemClock();
        timers = new ManualScheduler();
        server = new ScriptedServer(loopback, 25_000, 20_000);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
        loopback.close();
        timers.close();
    }

    private EventClient.Builder builder(URI uri) {
        return EventClient.builder(uri).webSocketClient(loopback.client()).scheduler(timers).random(MIDDLE)
                .reconnection(EXACT);
    }

    private ClientSocket connected(EventClient.Builder builder) throws Exception {
        client = builder.build();
        ClientSocket socket = client.socket();
        CompletableFuture<ClientSocket> connecting = socket.connect();
        server.acceptConnect("/", "socket-1", null);
        connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return socket;
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T value = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (value == null) {
            throw new AssertionError("nothing within " + WAIT);
        }
        return value;
    }

    /** How many timers the client asked for so far: what {@link #awaitTimer} counts from. */
    private int mark() {
        return timers.requestedDelays().size();
    }

    /** Waits until the client asks for a timer of {@code delay}, after the first {@code mark} timers. */
    private void awaitTimer(int mark, Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Duration> requested = timers.requestedDelays();
            if (requested.subList(Math.min(mark, requested.size()), requested.size()).contains(delay)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no timer of " + delay + " was asked for after #" + mark + ": "
                + timers.requestedDelays());
    }

    @Test
    void eventsCarryTheirArgumentsAndAnAckAnswersWithTheSameId() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        socket.on("greet", events::add);
        server.send("42[\"greet\",\"ada\",{\"age\":36}]");
        Event greet = next(events);
        assertEquals("ada", greet.arg(0, String.class));
        assertEquals(36, greet.args().get(1).path("age").asInt());
        assertFalse(greet.hasAck());

        server.send("4217[\"greet\",\"bob\"]");
        Event asking = next(events);
        assertTrue(asking.hasAck());
        asking.ack("hi bob", 2);
        asking.ack("a second answer is not sent");
        assertEquals("4317[\"hi bob\",2]", server.next());
    }

    @Test
    void emitsAreEventPacketsAndAcksCompleteTheirFutures() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        socket.emit("chat", "hello", List.of(1, 2)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("42[\"chat\",\"hello\",[1,2]]", server.next());

        CompletableFuture<Arguments> reply = socket.emitWithAck("sum", 1, 2);
        assertEquals("420[\"sum\",1,2]", server.next());
        server.send("430[3]");
        assertEquals(3, reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(0, Integer.class));

        assertThrows(IllegalArgumentException.class, () -> socket.emit("disconnect"), "a reserved name");
    }

    @Test
    void binaryArgumentsGoAsAttachments() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        socket.emit("upload", "name.bin", new byte[] {1, 2, 3});
        assertEquals("451-[\"upload\",\"name.bin\",{\"_placeholder\":true,\"num\":0}]", server.next());
    }

    @Test
    void binaryAttachmentsArriveAsBytesWhereThePlaceholdersWere() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        BlockingQueue<Event> files = new LinkedBlockingQueue<>();
        socket.on("file", files::add);
        server.send("452-[\"file\",{\"_placeholder\":true,\"num\":0},{\"thumb\":{\"_placeholder\":true,\"num\":1}}]");
        server.sendBinary(new byte[] {1, 2, 3});
        server.sendBinary(new byte[] {9});
        Event file = next(files);
        assertArrayEquals(new byte[] {1, 2, 3}, file.arg(0, byte[].class));
        assertArrayEquals(new byte[] {9}, file.args().get(1).get("thumb").binaryValue());
    }

    @Test
    void namespacesShareOneConnection() throws Exception {
        client = builder(server.uri()).build();
        ClientSocket main = client.socket();
        ClientSocket admin = client.socket("/admin");
        CompletableFuture<ClientSocket> first = main.connect();
        server.acceptConnect("/", "main-1", null);
        first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<ClientSocket> second = admin.connect();
        server.acceptConnect("/admin", "admin-1", null);
        second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        admin.emit("hello");
        assertEquals("42/admin,[\"hello\"]", server.next());
        assertEquals("main-1", main.id());
        assertEquals("admin-1", admin.id());
        assertEquals(1, server.connectionCount(), "one connection for both namespaces");

        main.disconnect();
        assertEquals("41", server.next());
        admin.emit("still here");
        assertEquals("42/admin,[\"still here\"]", server.next(), "the connection stays for the other namespace");
    }

    @Test
    void anAckThatNeverComesFailsAtTheTimeout() throws Exception {
        ClientSocket socket = connected(builder(server.uri()).ackTimeout(Duration.ofSeconds(7)));
        int mark = mark();
        CompletableFuture<Arguments> reply = socket.emitWithAck("slow");
        assertEquals("420[\"slow\"]", server.next());
        awaitTimer(mark, Duration.ofSeconds(7));
        timers.advance(Duration.ofMillis(6_999));
        assertFalse(reply.isDone());
        timers.advance(Duration.ofMillis(1));
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(TimeoutException.class, failure.getCause());
    }

    @Test
    void noPingWithinIntervalPlusTimeoutMeansTheServerIsGone() throws Exception {
        server.close();
        server = new ScriptedServer(loopback, 1_000, 500);
        ClientSocket socket = connected(builder(server.uri()).reconnection(Reconnection.NEVER));
        BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
        socket.onDisconnect(reasons::add);

        int mark = mark();
        server.send("2"); // a ping: answered, and the deadline starts again
        assertEquals("3", server.next());
        awaitTimer(mark, Duration.ofMillis(1_500));
        timers.advance(Duration.ofMillis(1_499));
        mark = mark();
        server.send("2");
        assertEquals("3", server.next());
        awaitTimer(mark, Duration.ofMillis(1_500));
        timers.advance(Duration.ofMillis(1_499));
        assertTrue(reasons.isEmpty(), "each ping gives the server interval + timeout again");
        timers.advance(Duration.ofMillis(1));
        assertEquals(DisconnectReason.PING_TIMEOUT, next(reasons));
        assertFalse(socket.connected());
    }

    @Test
    void reconnectsWithGrowingDelaysAndGivesUpAfterTheLastAttempt() throws Exception {
        Reconnection policy = EXACT.withMaxAttempts(3); // 1 s, 2 s, 4 s
        ClientSocket socket = connected(builder(server.uri()).reconnection(policy));
        BlockingQueue<String> lifecycle = new LinkedBlockingQueue<>();
        socket.onDisconnect(reason -> lifecycle.add("disconnect " + reason));
        socket.onConnectError(error -> lifecycle.add("connect_error"));
        client.onReconnectAttempt(attempt -> lifecycle.add("attempt " + attempt));
        client.onReconnectError(error -> lifecycle.add("reconnect_error"));
        client.onReconnectFailed(() -> lifecycle.add("failed"));
        int mark = mark();
        server.drop();
        server.close(); // nobody listens any more: every attempt fails
        String lost = next(lifecycle);
        assertTrue(lost.startsWith("disconnect transport "), lost); // close or error: the server aborted
        for (int attempt = 1; attempt <= 3; attempt++) {
            Duration delay = Duration.ofSeconds(1L << (attempt - 1));
            awaitTimer(mark, delay);
            mark = mark();
            timers.advance(delay.minusMillis(1));
            assertTrue(lifecycle.isEmpty(), "no attempt before " + delay + ": " + lifecycle);
            timers.advance(Duration.ofMillis(1));
            assertEquals("attempt " + attempt, next(lifecycle));
            assertEquals("reconnect_error", next(lifecycle));
            assertEquals("connect_error", next(lifecycle));
        }
        assertEquals("failed", next(lifecycle));
        assertFalse(socket.connected());
    }

    @Test
    void reconnectsAndSendsWhatWasEmittedWhileAway() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        BlockingQueue<String> lifecycle = new LinkedBlockingQueue<>();
        socket.onDisconnect(reason -> lifecycle.add("disconnect"));
        socket.onConnect(() -> lifecycle.add("connect"));
        client.onReconnect(attempts -> lifecycle.add("reconnect " + attempts));

        int mark = mark();
        server.drop();
        assertEquals("closed", server.next());
        assertEquals("disconnect", next(lifecycle));
        CompletableFuture<Void> first = socket.emit("while-away", 1);
        CompletableFuture<Void> second = socket.emit("while-away", 2);
        awaitTimer(mark, Duration.ofSeconds(1));
        timers.advance(Duration.ofSeconds(1));
        server.nextConnection();
        server.nextConnection(); // the first connection's, then the new one
        server.acceptConnect("/", "socket-2", null);
        assertEquals("reconnect 1", next(lifecycle));
        assertEquals("connect", next(lifecycle));
        assertEquals("42[\"while-away\",1]", server.next());
        assertEquals("42[\"while-away\",2]", server.next());
        first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("socket-2", socket.id());
    }

    @Test
    void aFullSendBufferRefusesTheNewEmitOrDropsTheOldestAsConfigured() throws Exception {
        client = builder(server.uri()).sendBuffer(2, OverflowPolicy.REJECT_NEW).build();
        ClientSocket socket = client.socket(); // never connected: everything waits
        CompletableFuture<Void> one = socket.emit("e", 1);
        socket.emit("e", 2);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> socket.emit("e", 3).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(SendBufferFullException.class, refused.getCause());
        assertFalse(one.isDone());
        client.close();

        client = builder(server.uri()).sendBuffer(2, OverflowPolicy.DROP_OLDEST).build();
        ClientSocket other = client.socket();
        CompletableFuture<Void> oldest = other.emit("e", 1);
        other.emit("e", 2);
        CompletableFuture<Void> newest = other.emit("e", 3);
        ExecutionException dropped = assertThrows(ExecutionException.class,
                () -> oldest.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(SendBufferFullException.class, dropped.getCause());
        other.connect();
        server.nextConnection();
        server.acceptConnect("/", "socket-1", null);
        assertEquals("42[\"e\",2]", server.next());
        assertEquals("42[\"e\",3]", server.next());
        newest.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theConnectCarriesTheAuthPayloadAndOnReconnectionThePidAndLastOffset() throws Exception {
        client = builder(server.uri()).build();
        ClientSocket socket = client.socket("/chat", () -> Map.of("token", "t0k3n"));
        BlockingQueue<String> news = new LinkedBlockingQueue<>();
        socket.on("news", String.class, news::add);
        socket.connect();
        assertEquals("40/chat,{\"token\":\"t0k3n\"}", server.next());
        server.send("40/chat,{\"sid\":\"s1\",\"pid\":\"p1\"}");
        server.send("42/chat,[\"news\",\"first\",\"offset-1\"]");
        server.send("42/chat,[\"news\",\"second\",\"offset-2\"]");
        assertEquals("first", next(news));
        assertEquals("second", next(news));
        assertFalse(socket.recovered());

        int mark = mark();
        server.drop();
        assertEquals("closed", server.next());
        awaitTimer(mark, Duration.ofSeconds(1));
        timers.advance(Duration.ofSeconds(1));
        assertEquals("40/chat,{\"pid\":\"p1\",\"offset\":\"offset-2\",\"token\":\"t0k3n\"}", server.next());
        server.send("40/chat,{\"sid\":\"s1\",\"pid\":\"p1\"}");
        server.send("42/chat,[\"news\",\"missed\",\"offset-3\"]");
        assertEquals("missed", next(news));
        assertTrue(socket.recovered());
        assertEquals("s1", socket.id());
    }

    @Test
    void aRefusalFailsTheConnectWithTheServersMessageAndData() throws Exception {
        client = builder(server.uri()).build();
        ClientSocket socket = client.socket("/admin");
        CompletableFuture<ClientSocket> connecting = socket.connect();
        assertEquals("40/admin,", server.next());
        server.send("44/admin,{\"message\":\"not allowed\",\"data\":{\"code\":403}}");
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        ConnectErrorException refused = assertInstanceOf(ConnectErrorException.class, failure.getCause());
        assertEquals("not allowed", refused.getMessage());
        assertEquals(403, refused.data().path("code").asInt());
    }

    @Test
    void aMalformedPacketEndsTheConnectionAsAParseError() throws Exception {
        ClientSocket socket = connected(builder(server.uri()).reconnection(Reconnection.NEVER));
        BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
        socket.onDisconnect(reasons::add);
        server.send("4abc");
        assertEquals(DisconnectReason.PARSE_ERROR, next(reasons));
    }

    @Test
    void aServerDisconnectStopsTheSocketAndClosesTheUnusedConnection() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
        socket.onDisconnect(reasons::add);
        server.send("41");
        assertEquals(DisconnectReason.IO_SERVER_DISCONNECT, next(reasons));
        assertEquals("closed", server.next(), "no socket uses the connection any more");
    }

    @Test
    void afterCloseEmitsAndConnectsFailAtOnce() throws Exception {
        ClientSocket socket = connected(builder(server.uri()));
        client.close();
        assertEquals("41", server.next(), "the socket left its namespace");
        ExecutionException emit = assertThrows(ExecutionException.class,
                () -> socket.emit("late").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(ConnectionLostException.class, emit.getCause());
        ExecutionException ack = assertThrows(ExecutionException.class,
                () -> socket.emitWithAck("late").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(ConnectionLostException.class, ack.getCause());
        ExecutionException connect = assertThrows(ExecutionException.class,
                () -> socket.connect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(ConnectionLostException.class, connect.getCause());
    }

    @Test
    void theServerUriIsTheOriginAndNamespacesGoToSocket() {
        try (EventClient secure = builder(URI.create("https://example.com:8443")).build();
             EventClient otherPath = builder(URI.create("http://h/")).path("/realtime").build()) {
            assertEquals(URI.create("wss://example.com:8443/socket.io/?EIO=4&transport=websocket"), secure.uri());
            assertEquals(URI.create("ws://h/realtime/?EIO=4&transport=websocket"), otherPath.uri());
        }
        assertThrows(IllegalArgumentException.class, () -> EventClient.builder(URI.create("http://h/chat")));
        assertThrows(IllegalArgumentException.class, () -> EventClient.builder(URI.create("ftp://h")));
    }
}
