package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** Network faults under the real loop: the handshake and frames survive any split; drops are 1006. */
class FaultsTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void everythingArrivesOneByteAtATimeBothWays() throws Exception {
        try (Loopback net = Loopback.create()) {
            net.onNewLink(link -> {
                link.toServer().oneByteAtATime();
                link.toClient().oneByteAtATime();
            });
            WebSocketServer server = net.startServer("/", new Echo());
            Events events = new Events();
            WebSocket ws = net.client().connect(net.uri(server, "/"), events).get(30, TimeUnit.SECONDS);
            ws.sendText("x".repeat(300));
            assertEquals("open", events.next());
            assertEquals("text:" + "X".repeat(300), events.next());
            Link link = net.link(ws);
            assertEquals(link.toServer().bytesSent(), link.toServer().bytesDelivered());
        }
    }

    @Test
    void aFrameSplitInsideItsHeaderAndPayload() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/", new Echo());
            RawPeer peer = net.rawClient(server);
            peer.handshake("/");
            Link link = net.links().get(0);
            long start = link.toServer().bytesSent();
            // header is 2 + 4 (mask) bytes: split after 1 byte of header, after the mask, mid-payload
            link.toServer().splitAt(start + 1, start + 6, start + 8);
            peer.sendText("split");
            assertEquals("SPLIT", peer.awaitText(WAIT));
        }
    }

    @Test
    void aStalledReaderFillsTheWindowAndResumesInOrder() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events events = new Events();
            WebSocketServer server = net.startServer("/", new Echo());
            WebSocket ws = net.client().connect(net.uri(server, "/"), events).get(30, TimeUnit.SECONDS);
            assertEquals("open", events.next());
            Link link = net.link(ws);
            link.toClient().stall();
            for (int i = 0; i < 50; i++) {
                ws.sendText("m" + i);
            }
            Thread.sleep(20);
            assertEquals(0, events.log.size(), "nothing reaches a stalled client");
            link.toClient().resume();
            for (int i = 0; i < 50; i++) {
                assertEquals("text:M" + i, events.next());
            }
        }
    }

    @Test
    void aStalledPeerMakesTheBufferedAmountGrow() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/", new Echo());
            WebSocketClient client = WebSocketClient.builder().transport(net)
                    .connection(ConnectionOptions.defaults().withBackpressure(1 << 20, ws.protocol.api.BackpressurePolicy.FAIL))
                    .build();
            WebSocket ws = client.connect(net.uri(server, "/"), new Events()).get(30, TimeUnit.SECONDS);
            net.link(ws).toServer().stall();
            byte[] chunk = new byte[64 << 10];
            CompletableFuture<Void> last = null;
            for (int i = 0; i < 40; i++) {
                last = ws.sendBinary(java.nio.ByteBuffer.wrap(chunk));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ws.bufferedAmount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(ws.bufferedAmount() > 0, "bytes wait above the in-flight window");
            assertTrue(last.isCompletedExceptionally(), "past the 1 MiB mark, FAIL refuses the send");
            net.link(ws).toServer().resume();
        }
    }

    @org.junit.jupiter.api.RepeatedTest(5)
    void aDroppedConnectionIs1006OnBothSides() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events serverSide = new Events();
            WebSocketServer server = net.startServer("/", serverSide);
            Events clientSide = new Events();
            WebSocket ws = net.client().connect(net.uri(server, "/"), clientSide).get(30, TimeUnit.SECONDS);
            assertEquals("open", serverSide.next());
            net.link(ws).drop();
            assertEquals(1006, clientSide.awaitClose().code());
            assertEquals(1006, serverSide.awaitClose().code());
            assertInstanceOf(IOException.class, clientSide.error.get(30, TimeUnit.SECONDS), clientSide.log + " " + serverSide.log);
        }
    }

    @Test
    void aHalfCloseWithoutCloseFrameEndsTheConnectionAs1006() throws Exception {
        try (Loopback net = Loopback.create()) {
            Events serverSide = new Events();
            WebSocketServer server = net.startServer("/", serverSide);
            WebSocket ws = net.client().connect(net.uri(server, "/"), new Events()).get(30, TimeUnit.SECONDS);
            assertEquals("open", serverSide.next());
            net.link(ws).toServer().halfClose();
            assertEquals(1006, serverSide.awaitClose().code());
        }
    }

    @Test
    void aDelayedLinkStillDeliversInOrder() throws Exception {
        try (Loopback net = Loopback.create()) {
            net.onNewLink(link -> link.toClient().delay(Duration.ofMillis(2)));
            WebSocketServer server = net.startServer("/", new Echo());
            Events events = new Events();
            WebSocket ws = net.client().connect(net.uri(server, "/"), events).get(30, TimeUnit.SECONDS);
            assertEquals("open", events.next());
            for (int i = 0; i < 5; i++) {
                ws.sendText("d" + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("text:D" + i, events.next());
            }
            assertFalse(net.link(ws).isClosed());
        }
    }

    @Test
    void theHandshakeSurvivesOneByteAtATimeFromARawPeer() {
        try (Loopback net = Loopback.create()) {
            net.onNewLink(link -> link.toClient().oneByteAtATime());
            WebSocketServer server = net.startServer("/", new Echo());
            RawPeer peer = net.rawClient(server);
            assertEquals(101, peer.handshake("/").status());
            peer.sendText("ok");
            assertEquals("OK", peer.awaitText(WAIT));
        }
    }
}
