package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.api.BackpressureException;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.driver.ConnectionDriver;

/**
 * The connection driver alone (ws.protocol.driver, as every transport runs it), through an
 * {@link EmbeddedConnection}: a manual clock, no socket, no thread, no sleep. Each step happens during
 * the call that causes it, so the waits below ({@link #NOW}) only read what is already there.
 */
class ConnectionDriverTest {
    /** Everything asked for has happened already: a wait returns at once or fails. */
    static final Duration NOW = Duration.ofSeconds(1);

    final Events events = new Events();

    EmbeddedConnection openServer(ConnectionOptions options) throws InterruptedException {
        EmbeddedConnection server = EmbeddedConnection.server(events, options);
        server.peer().handshake("/chat");
        assertEquals("open", events.next());
        return server;
    }

    static ConnectionOptions noKeepalive() {
        return ConnectionOptions.defaults().withKeepAlive(Duration.ZERO, Duration.ofSeconds(20));
    }

    static Throwable cause(WebSocket ws) {
        CloseStatus status = ws.closeFuture().getNow(null);
        return status == null ? null : status.cause();
    }

    /**
     * What an idle connection keeps (issue 19): no outgoing queue and no buffers once it has nothing to
     * write or read, shown by the driver's own accounting, on the manual clock.
     */
    @Nested
    class IdleFootprint {
        @Test
        void anOpenedConnectionHoldsNoOutputQueueAndNoBuffersOnceItsHandshakeIsWritten() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive());
            ConnectionDriver driver = (ConnectionDriver) server.webSocket();
            assertFalse(driver.holdsOutputQueue(), "no outgoing queue after the handshake");
            assertEquals(0, driver.retainedBufferBytes(), "no buffer kept for a message");
        }

        @Test
        void aConnectionThatTalkedLetsGoOfItsQueueAndBuffersWhenItGoesQuiet() throws Exception {
            EmbeddedConnection server = openServer(ConnectionDriverTest.noKeepalive()
                    .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10)));
            ConnectionDriver driver = (ConnectionDriver) server.webSocket();
            RawPeer client = server.peer();
            client.sendText("x".repeat(10_000));
            assertEquals("text:" + "x".repeat(10_000), events.next());
            driver.sendText("y".repeat(100)).get();
            assertEquals("y".repeat(100), client.awaitFrame(Frame.TEXT, NOW).text());
            assertTrue(driver.holdsOutputQueue(), "the queue made by the send stays while the connection talks");
            assertTrue(driver.retainedBufferBytes() >= 10_000, "the message buffer is kept for the next message");

            // the keepalive ping: once it is written, the quiet connection keeps no queue and no buffer
            server.advance(Duration.ofSeconds(30));
            server.runPendingTasks();
            Frame ping = client.awaitFrame(Frame.PING, NOW);
            assertFalse(driver.holdsOutputQueue(), "no outgoing queue once the ping is written");
            assertEquals(0, driver.retainedBufferBytes(), "no buffer kept once quiet");

            // the application sends, the peer answers the ping: the next timer tick finds nothing queued
            client.sendPong(ping.payload());
            assertEquals("pong", events.next());
            driver.sendText("z").get();
            assertEquals("z", client.awaitFrame(Frame.TEXT, NOW).text());
            assertTrue(driver.holdsOutputQueue());
            server.advance(Duration.ofSeconds(10));
            assertFalse(driver.holdsOutputQueue(), "no outgoing queue after a quiet timer tick");
            assertEquals(0, driver.retainedBufferBytes(), "the pong's buffer is not kept either");

            // and the connection works as before
            client.sendText("again");
            assertEquals("text:again", events.next());
            driver.sendText("back").get();
            assertEquals("back", client.awaitFrame(Frame.TEXT, NOW).text());
            assertFalse(server.isClosed());
        }
    }

    @Nested
    class Keepalive {
        @Test
        void aPingAfterTheIntervalWithoutInputThenADeadPeerIsAbortedWith1006() throws Exception {
            EmbeddedConnection server = openServer(ConnectionOptions.defaults()
                    .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10)));
            RawPeer client = server.peer();
            server.advance(Duration.ofSeconds(29));
            assertEquals(List.of(), client.received(), "no ping before the interval");
            server.advance(Duration.ofSeconds(1));
            client.awaitFrame(Frame.PING, NOW);
            server.advance(Duration.ofSeconds(9));
            assertFalse(server.isClosed(), "the pong may still come");
            server.advance(Duration.ofSeconds(1));
            assertTrue(server.isFinished());
            CloseStatus status = server.webSocket().closeFuture().getNow(null);
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            assertEquals("close:1006", lastEvent());
        }

        @Test
        void aPongKeepsTheConnectionAndTheNextPingComesAnIntervalAfterIt() throws Exception {
            EmbeddedConnection server = openServer(ConnectionOptions.defaults()
                    .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10)));
            RawPeer client = server.peer();
            server.advance(Duration.ofSeconds(30));
            Frame ping = client.awaitFrame(Frame.PING, NOW);
            client.sendPong(ping.payload());
            server.advance(Duration.ofSeconds(29));
            assertFalse(server.isClosed());
            assertEquals(1, client.received().size(), "one ping so far");
            server.advance(Duration.ofSeconds(1));
            client.awaitFrame(Frame.PING, NOW);
        }
    }

    @Test
    void theIdleTimeoutClosesWith1001WhenNoMessagePassed() throws Exception {
        EmbeddedConnection server = openServer(noKeepalive().withIdleTimeout(Duration.ofSeconds(60)));
        RawPeer client = server.peer();
        server.advance(Duration.ofSeconds(40));
        client.sendText("still here");
        assertEquals("text:still here", events.next());
        server.advance(Duration.ofSeconds(59));
        assertEquals(List.of(), client.received(), "a message restarted the idle time");
        server.advance(Duration.ofSeconds(1));
        CloseStatus sent = client.awaitClose(NOW);
        assertEquals(1001, sent.code());
        assertEquals("idle timeout", sent.reason());
        client.sendClose(1001, "");
        client.shutdownOutput();
        assertTrue(server.isFinished());
        assertEquals("close:1001", events.next());
    }

    @Test
    void theCloseTimeoutAbortsAPeerThatNeverAnswersOurClose() throws Exception {
        EmbeddedConnection server = openServer(noKeepalive().withCloseTimeout(Duration.ofSeconds(5)));
        CompletableFuture<CloseStatus> closing = server.webSocket().close(1000, "bye");
        assertEquals(1000, server.peer().awaitClose(NOW).code());
        server.advance(Duration.ofMillis(4999));
        assertFalse(closing.isDone());
        server.advance(Duration.ofMillis(1));
        assertTrue(server.isClosed());
        assertEquals(1006, closing.getNow(null).code());
        assertInstanceOf(TimeoutException.class, closing.getNow(null).cause());
    }

    /** RFC 6455 section 7.1.1: the server closes the TCP connection first; a client waits for it. */
    @Nested
    class ServerClosesFirst {
        @Test
        void theServerEndsItsOutputRightAfterTheCloseHandshake() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive());
            RawPeer client = server.peer();
            client.sendClose(1000, "done");
            assertEquals(1000, client.awaitClose(NOW).code(), "the echo");
            assertTrue(server.isOutputShut(), "FIN after the echo");
            client.awaitEnd(NOW);
            client.shutdownOutput();
            assertTrue(server.isFinished());
            assertEquals(1000, server.webSocket().closeFuture().getNow(null).code());
        }

        @Test
        void aClientDoesNotCloseTheConnectionBeforeTheServerDoes() throws Exception {
            EmbeddedConnection client = EmbeddedConnection.client(URI.create("ws://example.com/chat"), events);
            RawPeer server = client.peer();
            server.acceptHandshake(NOW);
            assertEquals("open", events.next());
            client.webSocket().close(1000, "");
            assertEquals(1000, server.awaitClose(NOW).code());
            server.sendClose(1000, "");
            assertFalse(client.isClosed(), "the client waits for the server to close TCP");
            server.shutdownOutput();
            assertTrue(client.isClosed());
            assertTrue(client.isFinished());
            assertEquals("close:1000", events.next());
        }

        @Test
        void aClientGivesUpWaitingAfterTheCloseTimeout() throws Exception {
            EmbeddedConnection client = EmbeddedConnection.client(URI.create("ws://example.com/chat"), events);
            RawPeer server = client.peer();
            server.acceptHandshake(NOW);
            server.sendClose(1000, "");
            assertEquals(1000, server.awaitClose(NOW).code(), "the echo");
            assertFalse(client.isClosed());
            client.advance(ConnectionOptions.defaults().closeTimeout());
            assertTrue(client.isClosed());
            assertEquals(1000, client.webSocket().closeFuture().getNow(null).code(), "the handshake was complete");
        }
    }

    @Nested
    class Backpressure {
        static final byte[] KB = new byte[600];

        @Test
        void bufferedAmountCountsEveryQueuedByteAndFailRefusesAboveTheMark() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive().withBackpressure(1000, BackpressurePolicy.FAIL));
            WebSocket ws = server.webSocket();
            server.stallOutput();
            CompletableFuture<Void> first = ws.sendBinary(ByteBuffer.wrap(KB));
            assertEquals(604, ws.bufferedAmount(), "600 bytes of payload and a 4-byte header");
            CompletableFuture<Void> second = ws.sendBinary(ByteBuffer.wrap(KB));
            java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CompletionException.class,
                    () -> second.getNow(null));
            assertInstanceOf(BackpressureException.class, refused.getCause());
            assertEquals(604, ws.bufferedAmount(), "the refused message was not queued");
            assertFalse(first.isDone());
            server.resumeOutput();
            assertTrue(first.isDone());
            assertEquals(0, ws.bufferedAmount());
            assertEquals(600, server.peer().awaitBinary(NOW).length);
            assertTrue(ws.sendBinary(ByteBuffer.wrap(KB)).isDone(), "room again");
        }

        @Test
        void closeFailsTheConnectionWith1008() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive().withBackpressure(1000, BackpressurePolicy.CLOSE));
            WebSocket ws = server.webSocket();
            server.stallOutput();
            ws.sendBinary(ByteBuffer.wrap(KB));
            CompletableFuture<Void> over = ws.sendBinary(ByteBuffer.wrap(KB));
            assertTrue(over.isCompletedExceptionally());
            server.resumeOutput();
            RawPeer client = server.peer();
            assertEquals(600, client.awaitBinary(NOW).length);
            assertEquals(1008, client.awaitClose(NOW).code());
        }

        @Test
        void aBroadcastSkipsAConnectionOverItsMarkWithoutAnExceptionOfItsOwn() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive().withBackpressure(1000, BackpressurePolicy.FAIL));
            ConnectionDriver driver = (ConnectionDriver) server.webSocket();
            PreparedMessage message = PreparedMessage.binary(ByteBuffer.wrap(KB));
            server.stallOutput();
            assertFalse(driver.sendBroadcast(message).isCompletedExceptionally(), "room for the first");
            Throwable[] skipped = new Throwable[2];
            var events = ObservabilityTest.recorded(() -> {
                skipped[0] = driver.sendBroadcast(message).exceptionNow();
                skipped[1] = driver.sendBroadcast(message).exceptionNow();
            });
            Throwable second = skipped[0];
            Throwable third = skipped[1];
            assertEquals(2, ObservabilityTest.named(events, "ws.BackpressureFired").size(),
                    "each skip is a backpressure decision, recorded: " + events);
            assertInstanceOf(BackpressureException.class, second);
            // a broadcast skips the same stalled connection message after message: one exception for
            // every skip, not one made (stack trace, message, wrapper) per connection and message
            assertSame(second, third);
            assertEquals(604, driver.bufferedAmount(), "neither skipped message was queued");
            server.resumeOutput();
            assertEquals(600, server.peer().awaitBinary(NOW).length);
            assertFalse(driver.sendBroadcast(message).isCompletedExceptionally(), "room again");
        }

        @Test
        void aMessageLargerThanTheMarkFitsAnEmptyQueue() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive().withBackpressure(100, BackpressurePolicy.FAIL));
            server.stallOutput();
            CompletableFuture<Void> big = server.webSocket().sendBinary(ByteBuffer.wrap(KB));
            assertFalse(big.isCompletedExceptionally());
            server.resumeOutput();
            assertTrue(big.isDone());
        }

        @Test
        void waitNeverMakesTheWriterWaitForItself() throws Exception {
            EmbeddedConnection server = openServer(noKeepalive().withBackpressure(1000, BackpressurePolicy.WAIT));
            WebSocket ws = server.webSocket();
            server.stallOutput();
            CompletableFuture<CompletableFuture<Void>> chained = new CompletableFuture<>();
            ws.sendBinary(ByteBuffer.wrap(KB)).thenRun(() -> {
                // runs on the writer that completed the first send: the queue is full again with what
                // the writer has not written yet, and only the writer can make room
                chained.complete(ws.sendBinary(ByteBuffer.wrap(KB)));
            });
            ws.sendBinary(ByteBuffer.wrap(new byte[300])); // 604 + 302 fits
            server.resumeOutput();
            assertTrue(chained.getNow(null).isDone());
            RawPeer client = server.peer();
            assertEquals(600, client.awaitBinary(NOW).length);
            assertEquals(300, client.awaitBinary(NOW).length);
            assertEquals(600, client.awaitBinary(NOW).length);
        }
    }

    @Test
    void aListenerThatThrowsGetsOnErrorAndTheConnectionFailsWith1011() throws Exception {
        Events throwing = new Events() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                super.onText(webSocket, text);
                throw new IllegalStateException("handler bug");
            }
        };
        EmbeddedConnection server = EmbeddedConnection.server(throwing, noKeepalive());
        RawPeer client = server.peer();
        client.handshake("/chat");
        client.sendText("boom");
        assertEquals("open", throwing.next());
        assertEquals("text:boom", throwing.next());
        assertEquals("error:IllegalStateException", throwing.next());
        CloseStatus sent = client.awaitClose(NOW);
        assertEquals(1011, sent.code());
        client.sendText("ignored");
        assertTrue(throwing.log.isEmpty(), "no callback after the failure but onClose");
        client.shutdownOutput();
        assertEquals("close:1011", throwing.next());
    }

    /** Control frames overtake data, never the opening handshake: a ping sent in onOpen follows the 101. */
    @Test
    void aPingSentInOnOpenFollowsTheOpeningResponse() {
        Events pinging = new Events() {
            @Override
            public void onOpen(WebSocket webSocket) {
                super.onOpen(webSocket);
                webSocket.ping(ByteBuffer.wrap(new byte[] {42}));
            }
        };
        EmbeddedConnection server = EmbeddedConnection.server(pinging, noKeepalive());
        server.stallOutput(); // the 101 is still queued when onOpen sends the ping
        server.writeInbound(("GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        server.resumeOutput();
        ByteBuffer out = server.readOutbound();
        String text = java.nio.charset.StandardCharsets.ISO_8859_1.decode(out.duplicate()).toString();
        assertTrue(text.startsWith("HTTP/1.1 101 "), text);
        int body = text.indexOf("\r\n\r\n") + 4;
        assertEquals(List.of(0x89, 0x01, 42), List.of(out.get(body) & 0xFF, out.get(body + 1) & 0xFF,
                (int) out.get(body + 2)), "the ping right after the response");
    }

    /**
     * A pong goes out at the next frame boundary even while a 16 MiB message is being written (RFC
     * 6455 section 5.4: control frames may be injected between the fragments of a message).
     */
    @Test
    void aPongOvertakesA16MiBMessageBeingWritten() throws Exception {
        EmbeddedConnection server = openServer(noKeepalive().withAutoFragmentSize(64 << 10));
        RawPeer client = server.peer();
        server.stallOutput();
        int size = 16 << 20;
        CompletableFuture<Void> sent = server.webSocket().sendBinary(ByteBuffer.allocate(size));
        server.allowOutput(1 << 20);
        client.sendPong(new byte[] {1}); // the server reads: its non-blocking write takes 1 MiB
        assertTrue(server.outboundBytes() >= 1 << 20, "the message is being written");
        client.sendPing(new byte[] {7}); // the pong is queued while the message is still going out
        server.resumeOutput();
        assertTrue(sent.isDone());
        List<Frame> frames = client.received();
        int pong = -1;
        long before = 0;
        for (int i = 0; i < frames.size() && pong < 0; i++) {
            if (frames.get(i).opcode() == Frame.PONG) {
                pong = i;
            } else {
                before += frames.get(i).payload().length;
            }
        }
        assertTrue(pong > 0, "the pong was sent: " + frames.size() + " frames");
        assertTrue(before < 2 << 20, "the pong came after " + before + " bytes of the message, not 16 MiB");
        assertEquals(size, client.awaitBinary(NOW).length, "the message is whole around it");
    }

    private String lastEvent() {
        String last = null;
        String next;
        while ((next = events.log.poll()) != null) {
            last = next;
        }
        return last;
    }
}
