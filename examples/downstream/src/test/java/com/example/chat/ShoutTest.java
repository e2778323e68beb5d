package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.testkit.Frame;
import ws.testkit.ManualClock;
import ws.testkit.RawPeer;
import ws.testkit.junit.LoopbackServer;
import ws.testkit.junit.LoopbackTest;

@LoopbackTest
class ShoutTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @LoopbackServer(path = "/shout")           // the handler under test, on a loopback server per test
    WebSocketListener shout = new WebSocketListener() {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text.toUpperCase());
        }
    };

    @Test
    void answersAndRejectsBadFrames(RawPeer peer) {           // a raw client, already handshaken
        peer.sendText("hi");
        assertEquals("HI", peer.awaitText(WAIT));
        peer.frame(Frame.TEXT).rsv(2).payload("x").send();     // RSV2 without an extension
        assertEquals(1002, peer.awaitClose(WAIT).code());
    }

    @Test
    void dropsAPeerThatNeverAnswersPings(RawPeer peer, ManualClock clock) {
        clock.advance(Duration.ofSeconds(30));                 // the default keepalive interval
        peer.awaitFrame(Frame.PING, WAIT);
        clock.advance(Duration.ofSeconds(20));                 // no pong within the deadline
        peer.awaitEnd(WAIT);                                   // in milliseconds of wall time
    }
}
