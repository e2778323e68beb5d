package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.ServerMetrics;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeResponse;

/**
 * The JFR events ({@code ws.*}) and the counters ({@link WebSocketServer#metrics()}, the MXBean) a
 * connection's life produces, on the runtime every transport shares (here over the loopback).
 */
class ObservabilityTest {
    private static final List<String> EVENTS = List.of("ws.ConnectionOpened", "ws.ConnectionClosed",
            "ws.HandshakeRejected", "ws.ProtocolViolation", "ws.BackpressureFired");

    interface Action {
        void run() throws Exception;
    }

    /** The ws.* events {@code action} produced, in a recording of its own. */
    static List<RecordedEvent> recorded(Action action) throws Exception {
        Path file = Files.createTempFile("ws-observability", ".jfr");
        try (Recording recording = new Recording()) {
            for (String name : EVENTS) {
                recording.enable(name);
            }
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
            return RecordingFile.readAllEvents(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    static RecordedEvent one(List<RecordedEvent> events, String name, String side) {
        List<RecordedEvent> found = named(events, name).stream()
                .filter(e -> side == null || side.equals(e.getString("side"))).toList();
        assertEquals(1, found.size(), "one " + name + (side == null ? "" : " on the " + side) + " in " + events);
        RecordedEvent event = found.get(0);
        assertNull(event.getStackTrace(), "stack traces are off");
        assertEquals(List.of("WebSocket"), event.getEventType().getCategoryNames());
        return event;
    }

    @Test
    void anEchoAndACloseByTheClientAreOpenedAndClosedEventsWithTheirTrafficAndCounts() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events serverSide = new Events();
            WebSocketServer server = net.startServer("/chat", new Echo() {
                @Override
                public void onClose(WebSocket webSocket, CloseStatus status) {
                    serverSide.onClose(webSocket, status);
                }
            });
            Events clientSide = new Events();
            List<RecordedEvent> events = recorded(() -> {
                WebSocket ws = net.client().connect(net.uri(server, "/chat"), clientSide).get(30, TimeUnit.SECONDS);
                ws.sendText("hello");
                assertEquals("open", clientSide.next());
                assertEquals("text:HELLO", clientSide.next());
                ws.close(1000, "done");
                assertEquals(1000, serverSide.awaitClose().code());
                assertEquals(1000, clientSide.awaitClose().code());
            });

            RecordedEvent opened = one(events, "ws.ConnectionOpened", "server");
            assertEquals("/chat", opened.getString("path"));
            assertTrue(opened.getString("connectionId").startsWith("ws-"));
            one(events, "ws.ConnectionOpened", "client");

            RecordedEvent closed = one(events, "ws.ConnectionClosed", "server");
            assertEquals(1000, closed.getInt("code"));
            assertEquals("done", closed.getString("reason"));
            assertEquals("REMOTE", closed.getString("initiator"), "the client's close frame came first");
            assertEquals(1, closed.getLong("messagesIn"));
            assertEquals(1, closed.getLong("messagesOut"));
            assertTrue(closed.getLong("bytesIn") > 200, "the upgrade request, a text and a close frame: " + closed);
            assertTrue(closed.getLong("bytesOut") > 100, "the 101, a text and a close frame: " + closed);
            assertTrue(closed.getDuration("openFor").toNanos() >= 0);
            RecordedEvent clientClosed = one(events, "ws.ConnectionClosed", "client");
            assertEquals("LOCAL", clientClosed.getString("initiator"));
            assertEquals(closed.getLong("bytesIn"), clientClosed.getLong("bytesOut"), "what one wrote the other read");
            assertEquals(closed.getLong("bytesOut"), clientClosed.getLong("bytesIn"));

            ServerMetrics metrics = server.metrics();
            assertEquals(0, metrics.openConnections());
            assertEquals(1, metrics.connectionsOpened());
            assertEquals(1, metrics.connectionsClosed());
            assertEquals(1, metrics.messagesReceived());
            assertEquals(1, metrics.messagesSent());
            assertEquals(closed.getLong("bytesIn"), metrics.bytesReceived());
            assertEquals(closed.getLong("bytesOut"), metrics.bytesSent());
            assertEquals(0, metrics.handshakeRejectionCount() + metrics.protocolViolationCount()
                    + metrics.backpressureEventCount());
        }
    }

    @Test
    void openConnectionsAreCountedWhileOpen() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/", new Echo());
            WebSocket first = net.client().connect(net.uri(server, "/"), new Events()).get(30, TimeUnit.SECONDS);
            WebSocket second = net.client().connect(net.uri(server, "/"), new Events()).get(30, TimeUnit.SECONDS);
            awaitTrue(() -> server.metrics().openConnections() == 2, "two open");
            first.close(1000, "");
            awaitTrue(() -> server.metrics().openConnections() == 1, "one open after a close");
            assertEquals(2, server.metrics().connectionsOpened());
            assertEquals(1, server.metrics().connectionsClosed());
            second.abort();
            awaitTrue(() -> server.metrics().openConnections() == 0, "none open after an abort");
        }
    }

    @Test
    void aLostConnectionClosesWith1006AndNoInitiator() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events serverSide = new Events();
            WebSocketServer server = net.startServer("/", serverSide);
            List<RecordedEvent> events = recorded(() -> {
                WebSocket ws = net.client().connect(net.uri(server, "/"), new Events()).get(30, TimeUnit.SECONDS);
                assertEquals("open", serverSide.next());
                net.link(ws).drop();
                assertEquals(1006, serverSide.awaitClose().code());
            });
            RecordedEvent closed = one(events, "ws.ConnectionClosed", "server");
            assertEquals(1006, closed.getInt("code"));
            assertEquals("NONE", closed.getString("initiator"));
        }
    }

    @Test
    void anUpgradeToNoRouteIsAHandshakeRejectedWithItsStatus() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/chat", new Echo());
            List<RecordedEvent> events = recorded(() -> {
                RawPeer peer = net.rawClient(server);
                peer.sendRequest(ws.protocol.handshake.ClientHandshake.request(java.net.URI.create("ws://loopback/nope"),
                        "dGhlIHNhbXBsZSBub25jZQ==", List.of(), List.of(), ws.protocol.handshake.HttpHeaders.empty()));
                HandshakeResponse response = peer.awaitResponse(Events.WAIT);
                assertEquals(404, response.status());
                peer.awaitEnd(Events.WAIT);
            });
            RecordedEvent rejected = one(events, "ws.HandshakeRejected", null);
            assertEquals(404, rejected.getInt("status"));
            assertEquals("/nope", rejected.getString("target"));
            assertEquals(Map.of(404, 1L), server.metrics().handshakeRejections());
            assertEquals(0, server.metrics().connectionsOpened());
            assertTrue(named(events, "ws.ConnectionOpened").isEmpty());
        }
    }

    @Test
    void anInvalidUpgradeAndAMalformedRequestAreRejectionsByStatus() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/", new Echo());
            List<RecordedEvent> events = recorded(() -> {
                // RFC 6455 section 4.2.1: version 13 only; 426 names it
                RawPeer old = net.rawClient(server);
                old.sendRaw(("GET / HTTP/1.1\r\nHost: loopback\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertEquals(426, old.awaitResponse(Events.WAIT).status());
                // not HTTP at all: 400 from the server's HTTP phase
                RawPeer garbage = net.rawClient(server);
                garbage.sendRaw("HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(400, garbage.awaitResponse(Events.WAIT).status());
                old.awaitEnd(Events.WAIT);
                garbage.awaitEnd(Events.WAIT);
                // the answers go out before the server's thread reports them: wait for the report (the
                // JFR event is committed before the counter moves)
                long deadline = System.nanoTime() + Events.WAIT.toNanos();
                while (server.metrics().handshakeRejectionCount() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            });
            assertEquals(Map.of(426, 1L, 400, 1L), server.metrics().handshakeRejections());
            List<Integer> statuses = named(events, "ws.HandshakeRejected").stream().map(e -> e.getInt("status"))
                    .sorted().toList();
            assertEquals(List.of(400, 426), statuses);
        }
    }

    @Test
    void aReservedOpcodeIsAProtocolViolationNamingTheRule() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/", new Echo());
            List<RecordedEvent> events = recorded(() -> {
                RawPeer peer = net.rawClient(server);
                peer.handshake("/");
                peer.frame(0x3).payload("x").send(); // RFC 6455 section 5.2: opcodes 0x3-0x7 are reserved
                assertEquals(1002, peer.awaitClose(Events.WAIT).code());
                peer.sendClose(1002, "");
                peer.awaitEnd(Events.WAIT);
                peer.close();
                awaitTrue(() -> server.metrics().connectionsClosed() == 1, "the connection ended");
            });
            RecordedEvent violation = one(events, "ws.ProtocolViolation", "server");
            assertEquals(1002, violation.getInt("code"));
            assertTrue(violation.getString("rule").contains("opcode"), violation.getString("rule"));
            assertEquals(Map.of(1002, 1L), server.metrics().protocolViolations());
            RecordedEvent closed = one(events, "ws.ConnectionClosed", "server");
            assertEquals(1002, closed.getInt("code"));
            assertEquals("LOCAL", closed.getString("initiator"), "the server failed the connection");
        }
    }

    @Test
    void aSendOverTheHighWaterMarkIsABackpressureEventWithThePolicy() throws Exception {
        try (Loopback net = Loopback.create()) {
            byte[] chunk = new byte[64 << 10];
            java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
            WebSocketListener flooder = new WebSocketListener() {
                @Override
                public void onText(WebSocket webSocket, String text) {
                    for (int i = 0; i < 40; i++) {
                        webSocket.sendBinary(ByteBuffer.wrap(chunk));
                    }
                    sent.countDown();
                }
            };
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", flooder)
                    .connection(c -> c.withBackpressure(256 << 10, BackpressurePolicy.FAIL)).start();
            List<RecordedEvent> events = recorded(() -> {
                RawPeer peer = net.rawClient(server);
                peer.handshake("/");
                net.links().get(0).toClient().stall();
                peer.sendText("go");
                assertTrue(sent.await(10, TimeUnit.SECONDS), "the 40 sends were made");
                net.links().get(0).toClient().resume();
            });
            long fired = server.metrics().backpressureEvents().get(BackpressurePolicy.FAIL);
            assertTrue(fired > 0);
            List<RecordedEvent> backpressure = named(events, "ws.BackpressureFired");
            assertEquals(fired, backpressure.size(), "one event per refused send: " + events);
            RecordedEvent first = backpressure.get(0);
            assertEquals("FAIL", first.getString("policy"));
            assertEquals(256 << 10, first.getLong("highWaterMark"));
            assertEquals(64 << 10, first.getLong("messageBytes"));
            assertTrue(first.getLong("queuedBytes") + first.getLong("messageBytes") > 256 << 10, first.toString());
            assertNull(first.getStackTrace());
        }
    }

    @Test
    void theMxBeanReadsTheSameCountersWhileTheServerRuns() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/", new Echo()).jmx(true).start();
            ObjectName name = new ObjectName("dev.ws:type=WebSocketServer,transport=\"loopback\",address=\"loopback:"
                    + server.port() + "\"");
            assertTrue(platform.isRegistered(name), "registered as " + name + ": " + platform.queryNames(
                    new ObjectName("dev.ws:*"), null));
            Events events = new Events();
            WebSocket ws = net.client().connect(net.uri(server, "/"), events).get(30, TimeUnit.SECONDS);
            ws.sendText("a");
            assertEquals("open", events.next());
            assertEquals("text:A", events.next());
            assertEquals(1L, platform.getAttribute(name, "OpenConnections"));
            assertEquals(1L, platform.getAttribute(name, "MessagesReceived"));
            assertEquals(server.metrics().bytesReceived(), platform.getAttribute(name, "BytesReceived"));
            assertTrue(platform.getAttribute(name, "HandshakeRejections") instanceof TabularData);
            server.close();
            assertFalse(platform.isRegistered(name), "unregistered when the server stops");
        }
    }

    @Test
    void withoutJmxNoMxBeanIsRegistered() throws Exception {
        try (Loopback net = Loopback.create()) {
            net.startServer("/", new Echo());
            assertTrue(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("dev.ws:*"), null).isEmpty());
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
