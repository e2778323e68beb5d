package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.Backoff;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.ReadyState;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectListener;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.SendQueueException;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.stream.MessagePublisher;

/**
 * The reconnecting client on the testkit's loopback: connections refused, handshakes refused or
 * dropped, drops in the middle of a message, the backoff on the manual clock, the close code rule,
 * the queue of sends while down, and the application's close. No sleeps: time moves only when a test
 * advances the clock.
 */
class ReconnectingClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** 1 s doubling to 8 s, no jitter: exact delays. */
    private static final Backoff EXACT = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(8), Backoff.Jitter.NONE);
    private static final Reconnect POLICY = Reconnect.defaults().withBackoff(EXACT);

    private Loopback net;
    private ManualClock clock;
    private WebSocketClient client;
    private final Recorder events = new Recorder();

    @BeforeEach
    void setUp() {
        net = Loopback.create();
        clock = net.clock();
        client = WebSocketClient.builder().transport(net).build();
    }

    @AfterEach
    void tearDown() {
        net.close();
        assertEquals(0, events.overlaps.get(), "callbacks overlapped");
    }

    /** Records callbacks as strings: "reconnecting:2:2000:1006", "text:hi", "close:1000". */
    static final class Recorder implements ReconnectListener {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        final List<CloseStatus> causes = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Duration> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        volatile WebSocket seen;

        private void record(WebSocket webSocket, String event) {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            seen = webSocket;
            log.add(event);
            inside.decrementAndGet();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            record(webSocket, "open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            record(webSocket, "text:" + text);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            record(webSocket, "error");
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            causes.add(status);
            record(webSocket, "close:" + status.code());
        }

        @Override
        public void onReconnecting(ReconnectingWebSocket webSocket, int attempt, Duration delay, CloseStatus cause) {
            causes.add(cause);
            delays.add(delay);
            record(webSocket, "reconnecting:" + attempt + ":" + delay.toMillis() + ":" + cause.code());
        }

        @Override
        public void onReconnected(ReconnectingWebSocket webSocket, int attempts) {
            record(webSocket, "reconnected:" + attempts);
        }

        @Override
        public void onGaveUp(ReconnectingWebSocket webSocket, int attempts, CloseStatus cause) {
            record(webSocket, "gaveup:" + attempts + ":" + cause.code());
        }

        /** The next event that is not an onError (which precedes most ends). */
        String next() throws InterruptedException {
            while (true) {
                String event = log.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    throw new AssertionError("no event within " + WAIT);
                }
                if (!event.equals("error")) {
                    return event;
                }
            }
        }

        CloseStatus lastCause() {
            return causes.get(causes.size() - 1);
        }

        void assertQuiet() throws InterruptedException {
            String event = log.poll(50, TimeUnit.MILLISECONDS);
            while ("error".equals(event)) {
                event = log.poll(50, TimeUnit.MILLISECONDS);
            }
            assertNull(event, "unexpected event");
        }
    }

    private ReconnectingWebSocket connect(int port, Reconnect policy) {
        return client.connectReconnecting(net.uri(port, "/"), events, policy);
    }

    /** Accepts the next connection of a raw listener and answers its handshake. */
    private static RawPeer accept(RawListener server) {
        RawPeer peer = server.accept(WAIT);
        peer.acceptHandshake(WAIT);
        return peer;
    }

    /** The server's side of a close handshake: its close frame, our echo, then its TCP close. */
    private static void serverCloses(RawPeer peer, int code, String reason) {
        peer.sendClose(code, reason);
        peer.awaitClose(WAIT);
        peer.close();
    }

    private void advance(Duration amount) {
        clock.advance(amount);
    }

    /** Waits out the backoff, answers the attempt it starts, and checks the handle reconnected and opened. */
    private RawPeer reconnectAfter(RawListener server, Duration backoff) throws InterruptedException {
        advance(backoff);
        RawPeer peer = accept(server);
        assertEquals("reconnected:1", events.next());
        assertEquals("open", events.next());
        return peer;
    }

    // ------------------------------------------------------------------------------------------
    // Drops at every stage

    @Test
    void aRefusedTcpConnectIsTriedAgainWithGrowingDelaysUntilTheServerIsUp() throws Exception {
        int port = 20_001; // nothing listens yet
        ReconnectingWebSocket ws = connect(port, POLICY);
        assertEquals(ReadyState.CONNECTING, ws.readyState());
        assertEquals("reconnecting:1:1000:1006", events.next());
        assertInstanceOf(ConnectException.class, events.lastCause().cause());
        assertEquals(Duration.ofSeconds(1), clock.untilNextTimer()); // on the client's (manual) timers
        advance(Duration.ofMillis(999));
        events.assertQuiet();
        advance(Duration.ofMillis(1));
        assertEquals("reconnecting:2:2000:1006", events.next());
        advance(Duration.ofSeconds(2));
        assertEquals("reconnecting:3:4000:1006", events.next());
        WebSocketServer server = WebSocketServer.builder().transport(net).port(port).route("/", new Echo()).start();
        advance(Duration.ofSeconds(4));
        assertEquals("reconnected:3", events.next());
        assertEquals("open", events.next());
        assertSame(ws, ws.firstOpen().get(30, TimeUnit.SECONDS));
        assertSame(ws, events.seen, "the listener sees the handle, never the connection underneath");
        assertEquals(ReadyState.OPEN, ws.readyState());
        ws.sendText("hi").get(30, TimeUnit.SECONDS);
        assertEquals("text:HI", events.next());
        assertEquals(1, server.connectionCount());
    }

    @Test
    void theBackoffIsCappedAndTheClientGivesUpAfterMaxAttempts() throws Exception {
        ReconnectingWebSocket ws = connect(20_002, POLICY.withMaxAttempts(6));
        CompletableFuture<Void> queued = ws.sendText("never sent");
        List<String> seen = new ArrayList<>();
        seen.add(events.next());
        for (int attempt = 1; attempt <= 6; attempt++) {
            advance(clock.untilNextTimer());
            seen.add(events.next());
        }
        seen.add(events.next());
        assertEquals(List.of("reconnecting:1:1000:1006", "reconnecting:2:2000:1006", "reconnecting:3:4000:1006",
                "reconnecting:4:8000:1006", "reconnecting:5:8000:1006", "reconnecting:6:8000:1006",
                "gaveup:6:1006", "close:1006"), seen);
        ExecutionException never = assertThrows(ExecutionException.class, () -> ws.firstOpen().get(30, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, never.getCause());
        SendQueueException dropped = (SendQueueException) assertThrows(ExecutionException.class,
                () -> queued.get(30, TimeUnit.SECONDS)).getCause();
        assertEquals(SendQueueException.Reason.CLOSED, dropped.reason());
        assertEquals(ReadyState.CLOSED, ws.readyState());
        assertEquals(0, clock.pendingTimers(), clock.pendingTimerNames().toString());
        advance(Duration.ofMinutes(5));
        events.assertQuiet();
    }

    @Test
    void fullJitterKeepsEveryDelayInsideItsWindow() throws Exception {
        Backoff full = EXACT.withJitter(Backoff.Jitter.FULL);
        connect(20_003, POLICY.withBackoff(full).withMaxAttempts(8));
        for (int attempt = 1; attempt <= 8; attempt++) {
            assertTrue(events.next().startsWith("reconnecting:" + attempt + ":"));
            Duration delay = events.delays.get(attempt - 1);
            assertTrue(!delay.isNegative() && delay.compareTo(full.window(attempt)) <= 0,
                    "attempt " + attempt + ": " + delay + " outside [0, " + full.window(attempt) + "]");
            advance(delay);
        }
        assertEquals("gaveup:8:1006", events.next());
    }

    @Test
    void aHandshakeDroppedOrAnswered503IsTriedAgainAndA404Stops() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        // 1: the server reads the request and drops the connection without answering
        RawPeer first = server.accept(WAIT);
        first.awaitRequest(WAIT);
        first.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
        advance(Duration.ofSeconds(1));
        // 2: 503, the server is overloaded: the next delay is the cap (8 s), not the 2 s window
        RawPeer second = server.accept(WAIT);
        second.awaitRequest(WAIT);
        second.respond(HandshakeResponse.text(503, "busy"));
        second.close(); // as servers do after a refusal
        assertEquals("reconnecting:2:8000:1006", events.next());
        assertEquals(503, assertInstanceOf(HandshakeException.class, events.lastCause().cause()).status());
        advance(Duration.ofSeconds(8));
        // 3: 404, which no retry will change: the handle ends
        RawPeer third = server.accept(WAIT);
        third.awaitRequest(WAIT);
        third.respond(HandshakeResponse.text(404, "no such path"));
        third.close();
        assertEquals("close:1006", events.next());
        assertEquals(404, assertInstanceOf(HandshakeException.class, events.lastCause().cause()).status());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> ws.firstOpen().get(30, TimeUnit.SECONDS));
        assertEquals(404, assertInstanceOf(HandshakeException.class, failed.getCause()).status());
        assertEquals(0, clock.pendingTimers(), clock.pendingTimerNames().toString());
    }

    @Test
    void aHandshakeTheServerEndsWithoutAnAnswerIsTriedAgain() throws Exception {
        RawListener server = net.rawServer();
        connect(server.port(), POLICY);
        RawPeer first = server.accept(WAIT);
        first.awaitRequest(WAIT);
        first.close(); // FIN, no response: a server going down mid-handshake
        assertEquals("reconnecting:1:1000:1006", events.next());
        HandshakeException ended = assertInstanceOf(HandshakeException.class, events.lastCause().cause());
        assertEquals(0, ended.status());
        reconnectAfter(server, Duration.ofSeconds(1));
    }

    @Test
    void aCloseWhileAnAttemptIsUnderWayAbortsIt() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        RawPeer silent = server.accept(WAIT);
        silent.awaitRequest(WAIT); // never answered
        CloseStatus status = ws.close(1000, "changed my mind").get(30, TimeUnit.SECONDS);
        assertEquals(new CloseStatus(1000, "changed my mind"), status);
        assertEquals("close:1000", events.next());
        silent.awaitEnd(WAIT);
        assertThrows(ExecutionException.class, () -> ws.firstOpen().get(30, TimeUnit.SECONDS));
        advance(Duration.ofMinutes(1));
        events.assertQuiet();
    }

    @Test
    void aDropInTheMiddleOfAMessageReconnectsAndMessagesKeepComing() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        RawPeer first = accept(server);
        assertEquals("open", events.next());
        first.sendText("one");
        assertEquals("text:one", events.next());
        // half a frame: the header says 1000 bytes, 10 arrive, then the connection is gone
        first.frame(Frame.BINARY).payload(new byte[1000]).truncate(10).send();
        first.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
        assertEquals(ReadyState.CONNECTING, ws.readyState());
        RawPeer second = reconnectAfter(server, Duration.ofSeconds(1));
        second.sendText("two");
        assertEquals("text:two", events.next());
        assertEquals(2, ws.connections());
    }

    // ------------------------------------------------------------------------------------------
    // Which close codes reconnect

    @Test
    void aNormalCloseFromTheServerEndsTheHandle() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        RawPeer peer = accept(server);
        assertEquals("open", events.next());
        serverCloses(peer, 1000, "done");
        assertEquals("close:1000", events.next());
        assertEquals(1000, ws.closeFuture().get(30, TimeUnit.SECONDS).code());
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void closeCodesFollowTheRule() throws Exception {
        RawListener server = net.rawServer();
        Reconnect policy = POLICY.withWhen(s -> Reconnect.isTransient(s) || s.code() == 4000);
        ReconnectingWebSocket ws = connect(server.port(), policy);
        serverCloses(accept(server), 1012, "restarting");
        assertEquals("open", events.next());
        assertEquals("reconnecting:1:1000:1012", events.next());
        serverCloses(reconnectAfter(server, Duration.ofSeconds(1)), 4000, "the application's own, configured to reconnect");
        assertEquals("reconnecting:2:2000:4000", events.next());
        serverCloses(reconnectAfter(server, Duration.ofSeconds(2)), 1013, "try again later");
        assertEquals("reconnecting:3:8000:1013", events.next()); // slowed down to the cap
        serverCloses(reconnectAfter(server, Duration.ofSeconds(8)), 1008, "policy");
        assertEquals("close:1008", events.next());
        assertEquals(1008, ws.closeFuture().get(30, TimeUnit.SECONDS).code());
    }

    @Test
    void aConnectionThatStayedUpStartsTheBackoffAgain() throws Exception {
        RawListener server = net.rawServer();
        connect(server.port(), POLICY.withStablePeriod(Duration.ofSeconds(30)));
        RawPeer first = accept(server);
        assertEquals("open", events.next());
        first.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
        RawPeer brief = reconnectAfter(server, Duration.ofSeconds(1));
        advance(Duration.ofSeconds(29)); // not stable yet: the next window is the second one
        brief.drop();
        assertEquals("reconnecting:2:2000:1006", events.next());
        RawPeer stable = reconnectAfter(server, Duration.ofSeconds(2));
        advance(Duration.ofSeconds(30));
        stable.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
    }

    // ------------------------------------------------------------------------------------------
    // Sends while down

    @Test
    void messagesSentWhileDownGoOutInOrderBeforeNewOnes() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        // queued before the first connection opens
        CompletableFuture<Void> early = ws.sendText("early");
        RawPeer first = accept(server);
        assertEquals("open", events.next());
        assertEquals("early", first.awaitText(WAIT));
        early.get(30, TimeUnit.SECONDS);
        first.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            queued.add(ws.sendText("q" + i));
        }
        queued.add(ws.sendBinary(ByteBuffer.wrap(new byte[] {4})));
        assertEquals(4, ws.queuedMessages());
        assertEquals(7, ws.bufferedAmount());
        assertFalse(queued.get(0).isDone(), "a queued send completes only when written");
        RawPeer second = reconnectAfter(server, Duration.ofSeconds(1));
        ws.sendText("new").get(30, TimeUnit.SECONDS);
        assertEquals("q1", second.awaitText(WAIT));
        assertEquals("q2", second.awaitText(WAIT));
        assertEquals("q3", second.awaitText(WAIT));
        assertEquals(4, second.awaitBinary(WAIT)[0]);
        assertEquals("new", second.awaitText(WAIT));
        for (CompletableFuture<Void> future : queued) {
            future.get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, ws.queuedMessages());
        second.assertNoMoreFrames(Duration.ofMillis(50));
    }

    @Test
    void aFullQueueFailsTheNewSend() throws Exception {
        ReconnectingWebSocket ws = connect(20_004, POLICY.withQueue(2, 10, Reconnect.Overflow.FAIL_NEW));
        assertEquals("reconnecting:1:1000:1006", events.next());
        CompletableFuture<Void> a = ws.sendText("aaaa");
        CompletableFuture<Void> b = ws.sendText("bbbb");
        SendQueueException full = failure(ws.sendText("c"));
        assertEquals(SendQueueException.Reason.QUEUE_FULL, full.reason());
        assertTrue(full.getMessage().contains("2 of 2 messages"), full.getMessage());
        assertFalse(a.isDone() || b.isDone());
        ReconnectingWebSocket bytes = connect(20_005, POLICY.withQueue(10, 10, Reconnect.Overflow.FAIL_NEW));
        bytes.sendText("123456");
        assertEquals(SendQueueException.Reason.QUEUE_FULL, failure(bytes.sendText("12345")).reason()); // 11 > 10 bytes
        bytes.sendText("1234");
        assertEquals(2, bytes.queuedMessages());
    }

    @Test
    void dropOldestMakesRoomAndTheRestArriveInOrder() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY.withQueue(2, 1 << 20, Reconnect.Overflow.DROP_OLDEST));
        CompletableFuture<Void> first = ws.sendText("1");
        CompletableFuture<Void> second = ws.sendText("2");
        CompletableFuture<Void> third = ws.sendText("3");
        assertEquals(SendQueueException.Reason.DROPPED, failure(first).reason());
        RawPeer peer = accept(server);
        assertEquals("2", peer.awaitText(WAIT));
        assertEquals("3", peer.awaitText(WAIT));
        second.get(30, TimeUnit.SECONDS);
        third.get(30, TimeUnit.SECONDS);
        assertEquals("open", events.next());
    }

    @Test
    void withoutAQueueSendsWhileDownFailAtOnce() throws Exception {
        ReconnectingWebSocket ws = connect(20_006, POLICY.withoutQueue());
        assertEquals("reconnecting:1:1000:1006", events.next());
        assertEquals(SendQueueException.Reason.NOT_CONNECTED, failure(ws.sendText("x")).reason());
        assertEquals(SendQueueException.Reason.NOT_CONNECTED, failure(ws.ping(ByteBuffer.allocate(0))).reason());
        assertEquals(SendQueueException.Reason.NOT_CONNECTED, failure(ws.sendText("part", false)).reason());
    }

    @Test
    void theRestOfAFragmentedMessageFailsAfterItsConnectionDropped() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        RawPeer first = accept(server);
        assertEquals("open", events.next());
        ws.sendText("par", false).get(30, TimeUnit.SECONDS);
        first.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
        RawPeer second = reconnectAfter(server, Duration.ofSeconds(1));
        assertEquals(SendQueueException.Reason.NOT_CONNECTED, failure(ws.sendText("t", true)).reason());
        ws.sendText("whole").get(30, TimeUnit.SECONDS);
        assertEquals("whole", second.awaitText(WAIT));
    }

    // ------------------------------------------------------------------------------------------
    // Closing

    @Test
    void aCloseDuringTheBackoffStopsForGood() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        RawPeer first = accept(server);
        assertEquals("open", events.next());
        first.drop();
        assertEquals("reconnecting:1:1000:1006", events.next());
        CompletableFuture<Void> queued = ws.sendText("waiting");
        awaitPendingTimers(1); // the backoff wait, scheduled once onReconnecting returned
        CloseStatus status = ws.close(1000, "bye").get(30, TimeUnit.SECONDS);
        assertEquals(new CloseStatus(1000, "bye"), status);
        assertEquals("close:1000", events.next());
        assertEquals(SendQueueException.Reason.CLOSED, failure(queued).reason());
        assertEquals(0, clock.pendingTimers(), clock.pendingTimerNames().toString());
        assertThrows(IllegalStateException.class, () -> ws.sendText("after close"));
        advance(Duration.ofMinutes(1));
        assertThrows(AssertionError.class, () -> server.accept(Duration.ofMillis(100)));
        events.assertQuiet();
    }

    @Test
    void aCloseWhileOpenRunsTheCloseHandshakeAndDoesNotReconnect() throws Exception {
        RawListener server = net.rawServer();
        ReconnectingWebSocket ws = connect(server.port(), POLICY);
        RawPeer peer = accept(server);
        assertEquals("open", events.next());
        CompletableFuture<CloseStatus> closing = ws.close(1000, "done");
        assertEquals(ReadyState.CLOSING, ws.readyState());
        assertEquals(1000, peer.awaitClose(WAIT).code());
        peer.sendClose(1000, "done");
        peer.close();
        assertEquals(1000, closing.get(30, TimeUnit.SECONDS).code());
        assertEquals("close:1000", events.next());
        advance(Duration.ofMinutes(1));
        events.assertQuiet();
    }

    @Test
    void closingTheClientStopsItsReconnectingHandlesAndLeavesNoThread() throws Exception {
        ReconnectingWebSocket ws = connect(20_007, POLICY);
        assertEquals("reconnecting:1:1000:1006", events.next());
        client.close();
        assertEquals("close:1006", events.next());
        assertEquals(1006, ws.closeFuture().get(30, TimeUnit.SECONDS).code());
        assertEquals(0, clock.pendingTimers(), clock.pendingTimerNames().toString());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (net.connectionThreads() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, net.connectionThreads());
    }

    @Test
    void aFragmentListenerIsRefusedSinceEachMessageArrivesWhole() {
        FragmentListener fragments = (webSocket, data, text, first, last) -> { };
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> client.connectReconnecting(net.uri(20_008, "/"), fragments, POLICY));
        assertTrue(refused.getMessage().contains("FragmentListener"), refused.getMessage());
        assertEquals(0, clock.pendingTimers(), "nothing was started");
    }

    @Test
    void aMessagePublisherIsRefusedSinceItsDemandPausesOneConnection() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> client.connectReconnecting(net.uri(20_008, "/"), new MessagePublisher(), POLICY));
        assertTrue(refused.getMessage().contains("ConnectionBoundListener"), refused.getMessage());
        assertTrue(refused.getMessage().contains(MessagePublisher.class.getName()), refused.getMessage());
        assertEquals(0, clock.pendingTimers(), "nothing was started");
    }

    @Test
    void aPublisherPerConnectionIsRefusedAsWell() {
        WebSocketListener perConnection = MessagePublisher.perConnection(publisher -> { });
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> client.connectReconnecting(net.uri(20_008, "/"), perConnection, POLICY));
        assertTrue(refused.getMessage().contains("ConnectionBoundListener"), refused.getMessage());
        assertEquals(0, clock.pendingTimers(), "nothing was started");
    }

    private void awaitPendingTimers(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (clock.pendingTimers() != count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(count, clock.pendingTimers(), clock.pendingTimerNames().toString());
    }

    private static SendQueueException failure(CompletableFuture<?> future) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(SendQueueException.class, failed.getCause());
    }
}
