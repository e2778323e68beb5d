package ws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeException;

/** engine.io-protocol v4: the handshake, errors, long-polling, the upgrade, heartbeats, maxPayload, CORS. */
class EngineIoTest extends EventsFixture {
    private static final String PATH = "/socket.io/";

    private HttpPeer http() {
        return new HttpPeer(port());
    }

    private String openPolling() throws Exception {
        HttpPeer.Response open = http().get(PATH + "?EIO=4&transport=polling");
        assertEquals(200, open.status());
        assertTrue(open.body().startsWith("0{"), open.body());
        return RawClient.json(open.body().substring(1)).get("sid").asText();
    }

    private static String pollUrl(String sid) {
        return PATH + "?EIO=4&transport=polling&sid=" + sid;
    }

    /** A polling session whose client joined the main namespace (and read the answer). */
    private String openPollingInMainNamespace() throws Exception {
        String sid = openPolling();
        assertEquals("ok", http().post(pollUrl(sid), "40").body());
        assertTrue(http().get(pollUrl(sid)).body().startsWith("40{"));
        return sid;
    }

    @Test
    void theHandshakeNamesTheSessionUpgradesHeartbeatAndMaxPayload() throws Exception {
        start(b -> b.heartbeat(Duration.ofSeconds(25), Duration.ofSeconds(20)).maxPayload(100_000));
        HttpPeer.Response open = http().get(PATH + "?EIO=4&transport=polling");
        JsonNode handshake = RawClient.json(open.body().substring(1));
        assertEquals(20, handshake.get("sid").asText().length());
        assertEquals("[\"websocket\"]", handshake.get("upgrades").toString());
        assertEquals(25000, handshake.get("pingInterval").asInt());
        assertEquals(20000, handshake.get("pingTimeout").asInt());
        assertEquals(100_000, handshake.get("maxPayload").asInt());
        assertTrue(open.header("content-type").startsWith("text/plain"));
    }

    @Test
    void badRequestsGet400WithTheProtocolsErrorCodes() throws Exception {
        start(b -> b);
        assertError(http().get(PATH + "?EIO=4&transport=carrier-pigeon"), 0, "Transport unknown");
        assertError(http().get(PATH + "?EIO=4&transport=polling&sid=nope"), 1, "Session ID unknown");
        assertError(http().post(PATH + "?EIO=4&transport=polling", "40"), 2, "Bad handshake method");
        assertError(http().get(PATH + "?EIO=4&transport=websocket"), 3, "Bad request");
        assertError(http().get(PATH + "?transport=polling"), 5, "Unsupported protocol version");
        assertError(http().get(PATH + "?EIO=3&transport=polling"), 5, "Unsupported protocol version");
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                client.connect(URI.create("ws://127.0.0.1:" + port() + PATH + "?EIO=4&transport=websocket&sid=nope"),
                        new WebSocketListener() { }).get(30, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof HandshakeException, refused.getCause().toString());
        assertTrue(refused.getCause().getMessage().contains("400"), refused.getCause().getMessage());
    }

    /** Waits until the server scheduled its {@code count}th ping (each after the pong of the one before). */
    private void awaitPingsScheduled(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.requestedDelays().stream().filter(Duration.ofSeconds(25)::equals).count() < count) {
            assertTrue(System.nanoTime() < deadline, "no pong handled within 10 s: " + clock.requestedDelays());
            Thread.sleep(5);
        }
    }

    /** Waits until the server holds a poll of this session. */
    private void awaitHeldPoll(String sid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!events.engine().session(sid).map(ws.events.internal.engine.EngineSession::holdsPoll).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "no poll held within 10 s");
            Thread.sleep(5);
        }
    }

    private static void assertError(HttpPeer.Response response, int code, String message) throws Exception {
        assertEquals(400, response.status(), response.body());
        assertEquals("application/json", response.header("content-type"));
        JsonNode body = RawClient.json(response.body());
        assertEquals(code, body.get("code").asInt());
        assertEquals(message, body.get("message").asText());
    }

    @Test
    void aPollingSessionCarriesPacketsBothWays() throws Exception {
        start(b -> b);
        events.sockets().onConnection(socket -> socket.on("echo", event -> event.ack(event.args().get(0))));
        String sid = openPolling();
        String poll = pollUrl(sid);
        assertEquals("ok", http().post(poll, "40").body());
        HttpPeer.Response connected = http().get(poll);
        assertTrue(connected.body().startsWith("40{\"sid\":"), connected.body());
        CompletableFuture<HttpPeer.Response> held = http().getAsync(poll);
        awaitHeldPoll(sid);
        assertFalse(held.isDone(), "a poll with nothing to send is held");
        assertEquals("ok", http().post(poll, "421[\"echo\",\"a\"]\u001e422[\"echo\",\"b\"]").body());
        String answers = held.get(10, TimeUnit.SECONDS).body();
        if (!answers.contains("\u001e")) {
            answers = answers + "\u001e" + http().get(poll).body();
        }
        assertEquals("431[\"a\"]\u001e432[\"b\"]", answers);
    }

    @Test
    void binaryOverPollingIsBase64WithB() throws Exception {
        start(b -> b);
        events.sockets().onConnection(socket -> socket.on("bin", event -> event.ack(event.args().get(0, byte[].class))));
        String sid = openPollingInMainNamespace();
        String poll = pollUrl(sid);
        http().post(poll, "451-1[\"bin\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID");
        assertEquals("461-1[{\"_placeholder\":true,\"num\":0}]\u001ebAQID", http().get(poll).body());
    }

    @Test
    void aPollingClientThatStopsPollingIsDroppedBeyondMaxBufferedBytesAndMissesVolatileEmits() throws Exception {
        start(b -> b.maxBufferedBytes(1000));
        CompletableFuture<EventSocket> connected = new CompletableFuture<>();
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> {
            socket.onDisconnect(reason::complete);
            connected.complete(socket);
        });
        String sid = openPollingInMainNamespace();
        String poll = pollUrl(sid);
        events.sockets().all().asVolatile().emit("tick", 1); // no poll waiting: dropped
        connected.get(30, TimeUnit.SECONDS).emit("kept", 2);
        assertEquals("42[\"kept\",2]", http().get(poll).body());
        for (int i = 0; i < 20 && !reason.isDone(); i++) {
            connected.get().emit("bulk", "x".repeat(100));
        }
        assertEquals(DisconnectReason.TRANSPORT_ERROR, reason.get(30, TimeUnit.SECONDS));
    }

    @Test
    void overlappingPollsCloseTheSession() throws Exception {
        start(b -> b);
        String sid = openPolling();
        String poll = pollUrl(sid);
        CompletableFuture<HttpPeer.Response> first = http().getAsync(poll);
        awaitHeldPoll(sid);
        assertEquals(400, http().get(poll).status());
        first.get(10, TimeUnit.SECONDS);
        assertEquals(1, RawClient.json(http().get(poll).body()).get("code").asInt(), "the session is gone");
    }

    @Test
    void aBodyOverMaxPayloadGets413AndClosesTheSession() throws Exception {
        start(b -> b.maxPayload(1000));
        String sid = openPolling();
        String poll = pollUrl(sid);
        assertEquals(413, http().post(poll, "4" + "x".repeat(2000)).status());
        assertEquals(400, http().get(poll).status());
    }

    @Test
    void corsHeadersAndPreflightForAllowedOrigins() throws Exception {
        start(b -> b.cors(Cors.origins("https://app.example").withCredentials()));
        HttpPeer.Response preflight = http().request("OPTIONS", PATH + "?EIO=4&transport=polling", null,
                Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "content-type"));
        assertEquals(204, preflight.status());
        assertEquals("https://app.example", preflight.header("access-control-allow-origin"));
        assertEquals("true", preflight.header("access-control-allow-credentials"));
        assertEquals("content-type", preflight.header("access-control-allow-headers"));
        HttpPeer.Response open = http().request("GET", PATH + "?EIO=4&transport=polling", null,
                Map.of("Origin", "https://app.example"));
        assertEquals("https://app.example", open.header("access-control-allow-origin"));
        HttpPeer.Response other = http().request("GET", PATH + "?EIO=4&transport=polling", null,
                Map.of("Origin", "https://evil.example"));
        assertEquals(null, other.header("access-control-allow-origin"));
    }

    @Test
    void theUpgradeProbesThenSwitchesAndEndsTheHeldPollWithNoop() throws Exception {
        start(b -> b);
        CompletableFuture<EventSocket> connected = new CompletableFuture<>();
        events.sockets().onConnection(connected::complete);
        String sid = openPollingInMainNamespace();
        String poll = pollUrl(sid);
        CompletableFuture<HttpPeer.Response> held = http().getAsync(poll);
        awaitHeldPoll(sid);

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + port() + PATH + "?EIO=4&transport=websocket&sid=" + sid),
                new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        frames.add(text);
                    }
                }).get(30, TimeUnit.SECONDS);
        ws.sendText("2probe");
        assertEquals("3probe", frames.poll(30, TimeUnit.SECONDS));
        assertEquals("6", held.get(30, TimeUnit.SECONDS).body(), "the held poll ends with a noop");
        EventSocket socket = connected.get(30, TimeUnit.SECONDS);
        socket.emit("during", 1); // still polling: waits for the switch
        ws.sendText("5");
        assertEquals("42[\"during\",1]", frames.poll(30, TimeUnit.SECONDS));
        socket.emit("after", 2);
        assertEquals("42[\"after\",2]", frames.poll(30, TimeUnit.SECONDS));
        assertEquals("websocket", socket.transport());
        assertEquals(400, http().get(poll).status(), "polling is over for this session");
        ExecutionException second = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                client.connect(URI.create("ws://127.0.0.1:" + port() + PATH + "?EIO=4&transport=websocket&sid=" + sid),
                        new WebSocketListener() { }).get(30, TimeUnit.SECONDS));
        assertTrue(second.getCause().getMessage().contains("400"), "a second WebSocket for the session is refused");
        ws.abort();
    }

    @Test
    void theServerPingsEveryIntervalAndClosesWithoutPong() throws Exception {
        start(b -> b.heartbeat(Duration.ofSeconds(25), Duration.ofSeconds(20)));
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> socket.onDisconnect(reason::complete));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            clock.advance(Duration.ofSeconds(25));
            assertEquals("2", peer.nextFrame());
            awaitPingsScheduled(2); // the peer's pong arrived
            clock.advance(Duration.ofSeconds(25));
            assertEquals("2", peer.nextFrame(), "answered: the next ping comes");
            peer.answerPings = false;
            awaitPingsScheduled(3); // (that ping was still answered)
            clock.advance(Duration.ofSeconds(25));
            assertEquals("2", peer.nextFrame());
            clock.advance(Duration.ofSeconds(19));
            assertFalse(reason.isDone());
            clock.advance(Duration.ofSeconds(2));
            assertEquals(DisconnectReason.PING_TIMEOUT, reason.get(30, TimeUnit.SECONDS));
            CloseStatus status = peer.awaitClosed();
            assertTrue(status != null);
        }
    }

    @Test
    void aClosePacketFromTheClientEndsTheSession() throws Exception {
        start(b -> b);
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> socket.onDisconnect(reason::complete));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("1");
            assertEquals(DisconnectReason.TRANSPORT_CLOSE, reason.get(30, TimeUnit.SECONDS));
            peer.awaitClosed();
        }
        String sid = openPolling();
        String poll = pollUrl(sid);
        assertEquals("ok", http().post(poll, "1").body());
        assertEquals(1, RawClient.json(http().get(poll).body()).get("code").asInt(), "the session is gone");
    }

    @Test
    void overLongPollingThePingGoesInAPollAndThePongInAPost() throws Exception {
        start(b -> b.heartbeat(Duration.ofSeconds(25), Duration.ofSeconds(20)));
        CompletableFuture<DisconnectReason> reason = new CompletableFuture<>();
        events.sockets().onConnection(socket -> socket.onDisconnect(reason::complete));
        String sid = openPollingInMainNamespace();
        String poll = pollUrl(sid);
        CompletableFuture<HttpPeer.Response> held = http().getAsync(poll);
        awaitHeldPoll(sid);
        clock.advance(Duration.ofSeconds(25));
        assertEquals("2", held.get(30, TimeUnit.SECONDS).body());
        assertEquals("ok", http().post(poll, "3").body());
        clock.advance(Duration.ofSeconds(24));
        assertFalse(reason.isDone(), "the pong counted");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("2", http().get(poll).body());
        clock.advance(Duration.ofSeconds(21));
        assertEquals(DisconnectReason.PING_TIMEOUT, reason.get(30, TimeUnit.SECONDS));
    }

    @Test
    void anUpgradeThatDoesNotCompleteInTimeClosesTheProbeAndPollingGoesOn() throws Exception {
        start(b -> b.upgradeTimeout(Duration.ofSeconds(10)));
        String sid = openPolling();
        String poll = pollUrl(sid);
        CompletableFuture<CloseStatus> probeClosed = new CompletableFuture<>();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket probe = client.connect(URI.create("ws://127.0.0.1:" + port() + PATH + "?EIO=4&transport=websocket&sid=" + sid),
                new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        frames.add(text);
                    }

                    @Override
                    public void onClose(WebSocket webSocket, CloseStatus status) {
                        probeClosed.complete(status);
                    }
                }).get(30, TimeUnit.SECONDS);
        probe.sendText("2probe");
        assertEquals("3probe", frames.poll(30, TimeUnit.SECONDS)); // the probe is registered, its timer running
        clock.advance(Duration.ofSeconds(11));
        assertEquals(1008, probeClosed.get(10, TimeUnit.SECONDS).code());
        assertEquals("ok", http().post(poll, "40").body());
        assertTrue(http().get(poll).body().startsWith("40{"), "the polling session is intact");
    }

    @Test
    void aWebSocketMessageOverMaxPayloadClosesTheConnection() throws Exception {
        start(b -> b.maxPayload(1000));
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.send("42[\"x\",\"" + "y".repeat(2000) + "\"]");
            assertEquals(1009, peer.awaitClosed().code());
        }
        try (RawClient peer = raw()) {
            peer.connect("/", null);
            peer.sendBinary(new byte[2000]);
            assertEquals(1009, peer.awaitClosed().code());
        }
    }
}
