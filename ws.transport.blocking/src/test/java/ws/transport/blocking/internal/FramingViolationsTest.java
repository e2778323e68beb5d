package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** A peer that breaks the framing rules gets the close code the RFC names; other connections carry on. */
class FramingViolationsTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    private static void assertFailsWith(Transport transport, byte[] bad, int expectedCode) throws Exception {
        Recorder serverSide = new Recorder();
        Recorder echo = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).route("/bad", serverSide).route("/echo", echo).start();
             WebSocketClient client = Support.client(transport).build();
             RawClient raw = new RawClient(server.port())) {
            Recorder good = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/echo"), good).get(30, TimeUnit.SECONDS);
            assertEquals(101, RawClient.status(raw.upgrade("/bad")));
            serverSide.awaitOpen();
            raw.send(bad);
            RawClient.Frame close = raw.readClose();
            assertEquals(expectedCode, close.closeCode());
            assertTrue(raw.closedWithin(Duration.ofSeconds(5)), "the server closes TCP after the close frame");
            raw.socket.close(); // done with it: no need to keep the server lingering
            assertEquals(expectedCode, serverSide.awaitClose().code());
            assertTrue(serverSide.events.stream().anyMatch(e -> e instanceof Recorder.Error), "onError before onClose");
            ws.sendText("unaffected");
            assertEquals("unaffected", good.nextOf(Recorder.Text.class).text());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_2_a64BitLengthWithTheTopBitSetIs1002(Transport transport) throws Exception {
        byte[] frame = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertFailsWith(transport, frame, 1002);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section5_1_anUnmaskedClientFrameIs1002(Transport transport) throws Exception {
        assertFailsWith(transport, RawClient.frame(true, 1, "hello".getBytes(), false), 1002);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void rfc6455Section8_1_invalidUtf8Is1007(Transport transport) throws Exception {
        assertFailsWith(transport, RawClient.frame(true, 1, new byte[] {'a', (byte) 0xFF}, true), 1007);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aListenerExceptionFailsTheConnectionWith1011(Transport transport) throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                super.onText(webSocket, text);
                throw new IllegalStateException("handler bug (expected in this test)");
            }
        };
        try (WebSocketServer server = Support.server(transport).route("/bad", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/bad"), clientSide).get(30, TimeUnit.SECONDS);
            ws.sendText("boom");
            assertEquals(1011, clientSide.awaitClose().code());
            serverSide.nextOf(Recorder.Error.class);
            assertEquals(1011, serverSide.awaitClose().code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aClientOnOpenThatThrowsFailsTheConnectFutureWithThatException(Transport transport) throws Exception {
        IllegalStateException bug = new IllegalStateException("onOpen bug (expected in this test)");
        Recorder clientSide = new Recorder() {
            @Override
            public void onOpen(WebSocket webSocket) {
                throw bug;
            }
        };
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            var future = client.connect(Support.uri(server, "/"), clientSide);
            var error = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> future.get(30, TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertSame(bug, error.getCause());
            org.junit.jupiter.api.Assertions.assertSame(bug, clientSide.next(Recorder.Error.class).error());
            assertEquals(1011, clientSide.next(Recorder.Close.class).status().code());
            assertEquals(1011, serverSide.awaitClose().code());
        }
    }
}
