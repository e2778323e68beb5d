package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * One handler test, run on the loopback and on both socket transports: the same callbacks in the same
 * order, the same close. What makes the loopback trustworthy.
 */
class SameHandlerOnEveryTransportTest {

    static Stream<String> transports() {
        return Stream.of("loopback", "blocking", "virtual", "eventloop");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void theEchoHandlerBehavesTheSame(String name) throws Exception {
        try (Loopback net = Loopback.create()) {
            Transport transport = name.equals("loopback") ? net : Transport.named(name);
            WebSocketServer server = WebSocketServer.builder().transport(transport).port(0).route("/echo", new Echo()).start();
            try {
                WebSocketClient client = WebSocketClient.builder().transport(transport).build();
                try {
                    URI uri = URI.create("ws://localhost:" + server.port() + "/echo");
                    Events events = new Events();
                    WebSocket ws = client.connect(uri, events).get(30, TimeUnit.SECONDS);
                    ws.sendText("one");
                    ws.sendText("two", false);
                    ws.sendText("-three", true);
                    ws.sendBinary(ByteBuffer.wrap(new byte[] {'b', 'i', 'n'}));
                    assertEquals("open", events.next());
                    assertEquals("text:ONE", events.next());
                    assertEquals("text:TWO-THREE", events.next());
                    assertEquals("binary:bin", events.next());
                    ws.ping(ByteBuffer.allocate(0));
                    assertEquals("pong", events.next());
                    ws.sendText("bye");
                    assertEquals("close:1000", events.next());
                    CloseStatus status = ws.closeFuture().get(30, TimeUnit.SECONDS);
                    assertEquals("bye", status.reason());
                    assertEquals(0, events.overlaps.get());
                } finally {
                    client.close();
                }
            } finally {
                server.close();
            }
        }
    }
}
