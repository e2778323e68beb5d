package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
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

/** The client's side of the rules: keepalive, the wait for the server's TCP close, idle, close(), callbacks. */
class ClientSideTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void keepaliveDetectsADeadServer(Transport transport) throws Exception {
        try (RawServer server = new RawServer();
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(300))).build()) {
            Recorder recorder = new Recorder();
            var connecting = client.connect(server.uri("/"), recorder);
            server.acceptAndUpgrade();
            connecting.get(30, TimeUnit.SECONDS);
            CloseStatus status = recorder.awaitClose();
            assertEquals(1006, status.code());
            assertInstanceOf(TimeoutException.class, status.cause());
            assertTrue(status.cause().getMessage().startsWith("no pong within"), status.cause().getMessage());
            assertEquals(9, server.readFrame().opcode(), "the client pinged");
        }
    }

    /** RFC 6455 section 7.1.1: after the close handshake the client waits for the server's TCP close, bounded. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section7_1_1_theClientWaitsBoundedForTheServersTcpClose(Transport transport) throws Exception {
        try (RawServer server = new RawServer();
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withCloseTimeout(Duration.ofMillis(500))).build()) {
            Recorder recorder = new Recorder();
            var connecting = client.connect(server.uri("/"), recorder);
            server.acceptAndUpgrade();
            WebSocket ws = connecting.get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            var closing = ws.close(1000, "bye");
            RawClient.Frame close = server.readFrame();
            assertEquals(8, close.opcode());
            assertEquals(1000, close.closeCode());
            server.sendFrame(true, 8, new byte[] {0x03, (byte) 0xE8}); // the echo; TCP stays open
            assertTrue(server.readsEof(), "the client half-closes after the close handshake");
            CloseStatus status = closing.get(30, TimeUnit.SECONDS);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(1000, status.code());
            assertTrue(elapsed >= 400, "the client should wait for the server's close, waited " + elapsed + " ms");
            assertEquals(ReadyState.CLOSED, ws.readyState());
        }
    }

    /**
     * The close completes when the server closes TCP, not at the close timeout: the timeout is far
     * beyond the wait, so only the TCP close can complete it in time (no bound on the elapsed time,
     * which a loaded machine stretches).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void theClientIsQuickWhenTheServerClosesTcp(Transport transport) throws Exception {
        try (RawServer server = new RawServer();
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withCloseTimeout(Duration.ofMinutes(5))).build()) {
            Recorder recorder = new Recorder();
            var connecting = client.connect(server.uri("/"), recorder);
            server.acceptAndUpgrade();
            WebSocket ws = connecting.get(30, TimeUnit.SECONDS);
            var closing = ws.close(4000, "");
            server.readFrame();
            server.sendFrame(true, 8, new byte[] {0x0F, (byte) 0xA0});
            server.socket().close();
            assertEquals(4000, closing.get(Support.WAIT.toSeconds(), TimeUnit.SECONDS).code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void closingTheClientAbortsItsConnections(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/", serverSide).start()) {
            WebSocketClient client = Support.client(transport).build();
            Recorder recorder = new Recorder();
            client.connect(Support.uri(server, "/"), recorder).get(30, TimeUnit.SECONDS);
            client.close();
            assertEquals(1006, recorder.awaitClose().code());
            assertEquals(1006, serverSide.awaitClose().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void clientIdleTimeoutCloses1001(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/", serverSide).start();
             WebSocketClient client = Support.client(transport)
                     .connection(Support.fast().withIdleTimeout(Duration.ofMillis(300))).build()) {
            client.connect(Support.uri(server, "/"), new Recorder()).get(30, TimeUnit.SECONDS);
            CloseStatus status = serverSide.awaitClose();
            assertEquals(1001, status.code());
            assertEquals("idle timeout", status.reason());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void callbacksComeInOrderOnOpenFirstOnCloseOnceAndLast(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/", Recorder.echo()).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder recorder = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/"), recorder).get(30, TimeUnit.SECONDS);
            ws.sendText("one");
            ws.ping(ByteBuffer.allocate(0));
            ws.sendText("two");
            assertEquals("one", recorder.nextOf(Recorder.Text.class).text());
            assertEquals("two", recorder.nextOf(Recorder.Text.class).text());
            ws.close().get(30, TimeUnit.SECONDS);
            ws.close().get(30, TimeUnit.SECONDS); // again: the same outcome, no second callback
            Thread.sleep(100);
            List<Object> events = List.copyOf(recorder.events);
            assertInstanceOf(Recorder.Close.class, events.get(events.size() - 1));
            assertEquals(1, recorder.closes.get());
            assertThrows(IllegalStateException.class, () -> ws.sendText("after close"));
            assertEquals(ReadyState.CLOSED, ws.readyState());
        }
    }

    /** Closing the client fails a connect still under way at once, not after the connect timeout. */
    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void closingTheClientStopsAConnectUnderWay(Transport transport) throws Exception {
        List<java.net.Socket> fillers = new java.util.ArrayList<>();
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 3; i++) {
                java.net.Socket filler = new java.net.Socket();
                try {
                    filler.connect(full.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException queueAlreadyFull) {
                    // what we wanted
                }
                fillers.add(filler);
            }
            // a connect timeout far beyond the wait: only the close can fail the future in time
            WebSocketClient client = Support.client(transport).connectTimeout(Duration.ofMinutes(5)).build();
            Recorder recorder = new Recorder();
            var future = client.connect(java.net.URI.create("ws://127.0.0.1:" + full.getLocalPort() + "/"), recorder);
            Thread.sleep(200);
            client.close();
            assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> future.get(Support.WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1006, recorder.nextOf(Recorder.Close.class).status().code());
        } finally {
            for (java.net.Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
