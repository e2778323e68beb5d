package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;

/** The raw peer over real TCP, against both socket transports. */
class RawPeerOverSocketsTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoThenAProtocolErrorOverTcp(String name) throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().transport(Transport.named(name)).port(0)
                .route("/echo", new Echo()).start();
             RawPeer peer = RawPeer.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            assertEquals(101, peer.handshake("/echo").status());
            peer.sendText("tcp");
            assertEquals("TCP", peer.awaitText(WAIT));
            peer.frame(Frame.BINARY).rsv(4).send();
            assertEquals(1002, peer.awaitClose(WAIT).code());
            peer.awaitEnd(WAIT);
        }
    }
}
