package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.ReadyState;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** Keepalive with dead-peer detection, the idle timeout and the close timeout. */
class TimeoutsTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void keepaliveClosesAPeerThatNeverAnswers(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(300)))
                .route("/ka", serverSide).start();
             RawClient raw = new RawClient(server.port())) {
            assertEquals(101, RawClient.status(raw.upgrade("/ka")));
            // the raw peer reads nothing and answers nothing
            CloseStatus status = serverSide.awaitClose();
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            assertTrue(status.cause().getMessage().contains("no pong within"), status.cause().getMessage());
            assertInstanceOf(TimeoutException.class, serverSide.nextOf(Recorder.Error.class).error());
            RawClient.Frame ping = raw.readFrame();
            assertEquals(9, ping.opcode(), "the keepalive ping reached the peer");
            assertTrue(raw.closedWithin(Duration.ofSeconds(5)));
        }
    }

    /**
     * A peer that answers the keepalive pings stays open. After a ping the server looks again within
     * one interval: once something arrived since (the client sends nothing but its pongs) it pings
     * again an interval after that; while nothing did it pings no more, and declares the peer dead at
     * the pong timeout; so the second ping shows that the pong to the first counted. The pong timeout leaves a loaded machine 2 s to answer (400 ms, with both sides
     * pinging every 100 ms, closed a live peer whenever a thread stalled that long).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void keepaliveKeepsALivePeerOpen(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        var keepAlive = Support.fast().withKeepAlive(Duration.ofMillis(100), Duration.ofSeconds(2));
        try (WebSocketServer server = Support.server(transport).connection(keepAlive).route("/ka", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/ka"), clientSide).get(30, TimeUnit.SECONDS);
            clientSide.nextOf(Recorder.Ping.class);
            clientSide.nextOf(Recorder.Ping.class);
            assertEquals(ReadyState.OPEN, ws.readyState());
            assertEquals(ReadyState.OPEN, serverSide.awaitOpen().readyState());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void idleTimeoutClosesWith1001(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withIdleTimeout(Duration.ofMillis(300)))
                .route("/idle", new Recorder()).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/idle"), clientSide).get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            CloseStatus status = clientSide.awaitClose();
            assertEquals(1001, status.code());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 250);
            assertEquals(ReadyState.CLOSED, ws.readyState());
        }
    }

    /**
     * Messages postpone the idle timeout: the connection stays open well past it while messages
     * pass, each gap far shorter than the timeout (a gap of 100 ms against 400 ms closed the
     * connection whenever a loaded machine stalled a thread for 300 ms), then closes once they stop.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void messagesPostponeTheIdleTimeout(Transport transport) throws Exception {
        Duration idle = Duration.ofMillis(1500);
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withIdleTimeout(idle))
                .route("/idle", Recorder.echo()).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/idle"), clientSide).get(30, TimeUnit.SECONDS);
            long end = System.nanoTime() + idle.multipliedBy(2).toNanos();
            for (int i = 0; System.nanoTime() < end; i++) {
                ws.sendText("tick " + i);
                assertEquals("tick " + i, clientSide.nextOf(Recorder.Text.class).text());
                Thread.sleep(20);
            }
            assertEquals(ReadyState.OPEN, ws.readyState());
            assertEquals(1001, clientSide.awaitClose().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void closeTimeoutAbortsAPeerThatNeverAnswersTheClose(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withCloseTimeout(Duration.ofMillis(400)))
                .route("/close", serverSide).start();
             RawClient raw = new RawClient(server.port())) {
            assertEquals(101, RawClient.status(raw.upgrade("/close")));
            WebSocket ws = serverSide.awaitOpen();
            long start = System.nanoTime();
            CloseStatus status = ws.close(1000, "done").get(30, TimeUnit.SECONDS);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            assertTrue(elapsed >= 350, "aborted after " + elapsed + " ms");
            assertEquals(1000, raw.readClose().closeCode(), "our close frame was sent");
        }
    }
}
