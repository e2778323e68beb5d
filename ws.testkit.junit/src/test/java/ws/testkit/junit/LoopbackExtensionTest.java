package ws.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.testkit.Frame;
import ws.testkit.Loopback;
import ws.testkit.ManualClock;
import ws.testkit.RawPeer;

@LoopbackTest
class LoopbackExtensionTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The handler under test: echoes text in upper case. */
    static final class Shout implements WebSocketListener {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text.toUpperCase(java.util.Locale.ROOT));
        }
    }

    @LoopbackServer(path = "/shout")
    ServerOptions.Builder server() {
        return WebSocketServer.builder().route("/shout", new Shout())
                .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10)));
    }

    WebSocketServer seenInAfterEach;

    @Test
    void theExtensionRunsAsANamedModule() {
        System.out.println("modules: " + LoopbackExtension.class.getModule() + ", junit " + Test.class.getModule()
                + ", testkit " + Loopback.class.getModule());
        assertEquals("ws.testkit.junit", LoopbackExtension.class.getModule().getName());
    }

    @Test
    void aRawPeerArrivesHandshaken(RawPeer peer) {
        peer.sendText("hi");
        assertEquals("HI", peer.awaitText(WAIT));
    }

    @Test
    void aClientConnectsToTheInjectedUri(WebSocketClient client, URI uri) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = client.connect(uri, new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                reply.complete(text);
            }
        }).get(30, TimeUnit.SECONDS);
        ws.sendText("loud");
        assertEquals("LOUD", reply.get(30, TimeUnit.SECONDS));
        assertEquals("/shout", uri.getPath());
    }

    @Test
    void theClockDrivesTheServersKeepalive(RawPeer peer, ManualClock clock) {
        clock.advance(Duration.ofSeconds(30));
        peer.awaitFrame(Frame.PING, WAIT);
        clock.advance(Duration.ofSeconds(10));
        peer.awaitEnd(WAIT);
    }

    @Test
    void theSameLoopbackEverywhereInATest(Loopback loopback, WebSocketServer server, @Raw(handshake = false) RawPeer peer) {
        assertSame(server, loopback.server(server.port()).orElseThrow());
        assertEquals(101, peer.handshake("/shout").status());
        seenInAfterEach = server;
    }

    @AfterEach
    void serverStillRunsInAfterEach(WebSocketServer server) {
        if (seenInAfterEach != null) {
            assertSame(seenInAfterEach, server);
        }
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterServerIsUsed(RawPeer peer) {
            peer.sendText("nested");
            assertEquals("NESTED", peer.awaitText(WAIT));
        }
    }

    @Nested
    class WithItsOwnListener {
        @LoopbackServer
        final WebSocketListener echo = new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                webSocket.sendText("echo:" + text);
            }
        };

        @Test
        void theInnerServerWins(RawPeer peer) {
            peer.sendText("x");
            assertEquals("echo:x", peer.awaitText(WAIT));
        }
    }
}
