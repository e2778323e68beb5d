package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/**
 * A server's answer to the opening handshake (the 101 response) is written by the reading thread
 * straight from the engine's output: when the socket takes it whole, as it nearly always does, no
 * outgoing queue is made for it (one was made and dropped again per handshake). What the socket does
 * not take, or all of it on a sink that cannot write without blocking, goes into a queue, first in
 * line: the peer still gets the 101 whole, then what {@code onOpen} sent.
 */
@DisplayName("ConnectionDriver: the 101 response written without an outgoing queue")
class OpeningAnswerTest {
    private static final String ACCEPT = "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    /** The unmasked text frame "hi" that onOpen sends. */
    private static final byte[] HI = {(byte) 0x81, 2, 'h', 'i'};

    private static ConnectionDriver open(Sink sink, boolean greet) throws Exception {
        return open(sink, greet, () -> { });
    }

    private static ConnectionDriver open(Sink sink, boolean greet, Runnable onHostOpened) throws Exception {
        HandshakeRequest request = HttpHeadParser.requests(8192).parseRequest(ByteBuffer.wrap(TestHost.REQUEST));
        WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                if (greet) {
                    webSocket.sendText("hi");
                }
            }
        };
        ConnectionDriver driver = ConnectionDriver.server(new TestHost() {
            @Override
            public Executor writers() {
                return OutboundTest.writers("answer");
            }

            @Override
            public void opened(ConnectionDriver connection) {
                onHostOpened.run();
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest r, SocketAddress remoteAddress) {
                return new UpgradeDecision.Accept(listener, "", HttpHeaders.empty(), Map.of());
            }
        }, request, TestHost.REQUEST.length);
        driver.start(sink, null);
        assertTrue(driver.isOpen(), "open");
        return driver;
    }

    private static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The sink's bytes: a whole 101 with the key's accept value, then {@code after}. */
    private static void assertAnswered(byte[] written, byte[] after) {
        String all = text(written, 0, written.length);
        int end = all.indexOf("\r\n\r\n") + 4;
        assertTrue(end > 4, all);
        String head = all.substring(0, end);
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        assertTrue(head.contains(ACCEPT), head);
        assertEquals(text(after, 0, after.length), all.substring(end), "after the 101");
    }

    private static void await(OutboundInlineTest.PartialWire wire, int atLeast) throws InterruptedException {
        for (int i = 0; i < 500 && wire.written.size() < atLeast; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    @DisplayName("the socket takes it whole: written on the reading thread, no outgoing queue made")
    void takenWholeNoQueue() throws Exception {
        OutboundInlineTest.PartialWire wire = new OutboundInlineTest.PartialWire();
        ConnectionDriver driver = open(wire, false);
        assertAnswered(wire.written.toByteArray(), new byte[0]);
        assertEquals(0, driver.outputQueuesMade, "outgoing queues made");
        assertFalse(driver.holdsOutputQueue());
        assertTrue(wire.writers.isEmpty(), "no hand-off write");
    }

    @Test
    @DisplayName("the 101 goes out only once the server counts the connection as open, as a queued one did")
    void openOnThisSideBeforeThePeerSeesIt() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.List<Boolean> openAtWrite = new java.util.ArrayList<>();
        OutboundInlineTest.PartialWire wire = new OutboundInlineTest.PartialWire() {
            @Override
            public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
                openAtWrite.add(opened.get());
                return super.tryWrite(buffers, offset, length);
            }
        };
        ConnectionDriver driver = open(wire, false, () -> opened.set(true));
        assertAnswered(wire.written.toByteArray(), new byte[0]);
        assertEquals(java.util.List.of(true), openAtWrite, "open on the server when the 101 was written");
        assertEquals(0, driver.outputQueuesMade);
    }

    /**
     * Opens over {@code wire}, with an {@code onOpen} that sends "hi" if {@code greet}: the peer gets
     * the whole 101, then the greeting, through one queue. Without a greeting the reading thread's own
     * write of the answer is what leaves the rest to that queue.
     */
    private static void answeredThroughOneQueue(OutboundInlineTest.PartialWire wire, boolean greet) throws Exception {
        ConnectionDriver driver = open(wire, greet);
        await(wire, 100); // what went to the hand-off writer, if anything did
        assertAnswered(wire.written.toByteArray(), greet ? HI : new byte[0]);
        assertEquals(1, driver.outputQueuesMade, "outgoing queues made");
    }

    private static void greetedThroughOneQueue(OutboundInlineTest.PartialWire wire) throws Exception {
        answeredThroughOneQueue(wire, true);
    }

    @Test
    @DisplayName("what onOpen sends follows the 101 in the one queue it makes")
    void onOpenSendsFollow() throws Exception {
        greetedThroughOneQueue(new OutboundInlineTest.PartialWire());
    }

    @Test
    @DisplayName("the socket takes part of it: the rest is queued first, before what onOpen sends")
    void partlyTakenRestQueuedFirst() throws Exception {
        OutboundInlineTest.PartialWire wire = new OutboundInlineTest.PartialWire();
        wire.room = 10; // the hand-off writer writes the rest
        greetedThroughOneQueue(wire);
    }

    @Test
    @DisplayName("a sink that cannot write without blocking: the whole 101 goes through the queue")
    void noInlineWrites() throws Exception {
        OutboundInlineTest.PartialWire wire = new OutboundInlineTest.PartialWire();
        wire.nonBlocking = false;
        greetedThroughOneQueue(wire);
    }

    @Test
    @DisplayName("the socket takes part of it and onOpen sends nothing: the reading thread queues the rest")
    void partlyTakenNoGreetingRestQueued() throws Exception {
        OutboundInlineTest.PartialWire wire = new OutboundInlineTest.PartialWire();
        wire.room = 10;
        answeredThroughOneQueue(wire, false);
        assertEquals("HTTP/1.1 1", text(wire.written.toByteArray(), 0, 10), "the first 10 bytes written inline");
    }

    @Test
    @DisplayName("a sink that cannot write without blocking and onOpen sends nothing: the 101 goes through a queue")
    void noInlineWritesNoGreeting() throws Exception {
        OutboundInlineTest.PartialWire wire = new OutboundInlineTest.PartialWire();
        wire.nonBlocking = false;
        answeredThroughOneQueue(wire, false);
    }
}
