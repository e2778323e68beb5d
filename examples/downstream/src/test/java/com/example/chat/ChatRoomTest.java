package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.testkit.Frame;
import ws.testkit.Link;
import ws.testkit.Loopback;
import ws.testkit.ManualClock;
import ws.testkit.RawPeer;
import ws.testkit.junit.LoopbackServer;
import ws.testkit.junit.LoopbackTest;
import ws.testkit.junit.Raw;

/** The chat room on the loopback: real clients, a raw peer, faults and the manual clock. */
@LoopbackTest
class ChatRoomTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    final ChatRoom room = new ChatRoom();

    @LoopbackServer(path = "/chat")
    ServerOptions.Builder server() {
        return room.serverOptions();
    }

    /** Collects the lines a client receives. */
    static final class Lines implements WebSocketListener {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public void onText(WebSocket webSocket, String text) {
            lines.add(text);
        }

        String next() throws InterruptedException {
            String line = lines.poll(5, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no line within 5 s");
            }
            return line;
        }
    }

    @Test
    void membersHearEachOther(WebSocketClient client, URI uri) throws Exception {
        Lines alice = new Lines();
        Lines bob = new Lines();
        WebSocket a = client.connect(uri, alice).get(5, TimeUnit.SECONDS);
        assertTrue(alice.next().endsWith(" joined"));
        WebSocket b = client.connect(uri, bob).get(5, TimeUnit.SECONDS);
        String bobJoined = alice.next();
        assertTrue(bobJoined.endsWith(" joined"), bobJoined);
        bob.next(); // his own join
        a.sendText("hello");
        assertTrue(alice.next().endsWith(": hello"));
        assertTrue(bob.next().endsWith(": hello"));
        b.sendText("/quit");
        assertEquals(1000, b.closeFuture().get(5, TimeUnit.SECONDS).code());
        assertTrue(alice.next().endsWith(" left (1000)"));
    }

    @Test
    void aRawPeerSeesExactFramesAndTheQuit(RawPeer peer) {
        Frame joined = peer.awaitFrame(Frame.TEXT, WAIT);
        assertTrue(joined.fin() && !joined.masked(), "a server frame: FIN, unmasked: " + joined);
        peer.sendText("/quit");
        CloseStatus close = peer.awaitClose(WAIT);
        assertEquals(1000, close.code());
        assertEquals("bye", close.reason());
        peer.assertNoMoreFrames();
    }

    @Test
    void invalidUtf8IsClosedWith1007(RawPeer peer) {
        peer.awaitText(WAIT); // joined
        peer.frame(Frame.TEXT).payload(new byte[] {(byte) 0xFF}).send();
        assertEquals(1007, peer.awaitClose(WAIT).code());
    }

    @Test
    void anUnmaskedClientFrameIsAProtocolError(RawPeer peer) {
        peer.awaitText(WAIT);
        peer.frame(Frame.TEXT).masked(false).payload("sneaky").send();
        assertEquals(1002, peer.awaitClose(WAIT).code());
    }

    @Test
    void everythingOneByteAtATime(Loopback loopback, @Raw(handshake = false) RawPeer peer) {
        Link link = loopback.links().get(0);
        link.toServer().oneByteAtATime();
        link.toClient().oneByteAtATime();
        assertEquals(101, peer.handshake("/chat").status());
        peer.awaitText(WAIT);
        peer.sendText("slowly");
        assertTrue(peer.awaitText(WAIT).endsWith(": slowly"));
    }

    @Test
    void aDroppedMemberLeavesWith1006(WebSocketClient client, URI uri, Loopback loopback) throws Exception {
        Lines alice = new Lines();
        client.connect(uri, alice).get(5, TimeUnit.SECONDS);
        alice.next();
        WebSocket bob = client.connect(uri, new Lines()).get(5, TimeUnit.SECONDS);
        alice.next();
        loopback.link(bob).drop();
        assertTrue(alice.next().endsWith(" left (1006)"));
        assertEquals(1, room.size());
    }

    @Test
    void aPeerThatNeverAnswersPingsIsDroppedIn40SecondsOfClockTime(RawPeer peer, ManualClock clock) {
        long started = System.nanoTime();
        peer.awaitText(WAIT);
        clock.advance(Duration.ofSeconds(30));
        peer.awaitFrame(Frame.PING, WAIT);
        clock.advance(Duration.ofSeconds(10)); // no pong
        peer.awaitEnd(WAIT);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(millis < 2_000, "took " + millis + " ms of wall time");
    }

    @Test
    void anIdleMemberIsClosedAfterTenMinutesEvenIfItAnswersPings(RawPeer peer, ManualClock clock) {
        peer.awaitText(WAIT); // joined
        for (int i = 0; i < 19; i++) {
            clock.advance(Duration.ofSeconds(30));
            Frame ping = peer.awaitFrame(Frame.PING, WAIT);
            peer.sendPong(ping.payload());
        }
        peer.assertNoMoreFrames();
        clock.advance(Duration.ofSeconds(30));
        CloseStatus close = peer.awaitClose(WAIT);
        assertEquals(1001, close.code());
        assertEquals("idle timeout", close.reason());
    }

    @Test
    void aLiveClientAnswersKeepaliveAndStays(WebSocketClient client, URI uri, ManualClock clock) throws Exception {
        WebSocket ws = client.connect(uri, new Lines()).get(5, TimeUnit.SECONDS);
        for (int minute = 0; minute < 9; minute++) {
            clock.advance(Duration.ofMinutes(1)); // pings answered by the client's own loop
            ws.sendText("still here"); // a message keeps the idle timeout away
        }
        assertEquals(1, room.size());
        assertFalse(ws.closeFuture().isDone());
    }

    @Test
    void theTestsRunInsideTheModule() {
        // build.sh runs the tests on the module path (Surefire's default here) and on the class path
        boolean modulePath = Boolean.parseBoolean(System.getProperty("downstream.modulePath", "true"));
        assertEquals(modulePath ? "com.example.chat" : null, ChatRoomTest.class.getModule().getName());
        System.out.println("modules: test " + ChatRoomTest.class.getModule() + ", testkit " + Loopback.class.getModule()
                + ", junit extension " + LoopbackTest.class.getModule() + ", junit " + Test.class.getModule());
    }
}
