package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.eventloop.EventLoopTransport;

/** Each server and client makes its engine configuration once, with its options, for all its connections. */
class SharedConfigTest {

    @Test
    void oneConfigurationPerServerAndClient() throws Exception {
        Transport transport = new EventLoopTransport(1);
        ConnectionOptions small = ConnectionOptions.defaults().withAutoFragmentSize(1024);
        ConnectionOptions large = ConnectionOptions.defaults().withAutoFragmentSize(64 * 1024);
        try (WebSocketServer a = WebSocketServer.builder().transport(transport).port(0).host("127.0.0.1")
                .connection(small).route("/", new WebSocketListener() { }).start();
             WebSocketServer b = WebSocketServer.builder().transport(transport).port(0).host("127.0.0.1")
                .connection(large).route("/", new WebSocketListener() { }).start();
             WebSocketClient client = WebSocketClient.builder().transport(transport).connection(small).build()) {
            LoopServer first = (LoopServer) a;
            LoopServer second = (LoopServer) b;
            assertSame(first.protocolConfig(), first.protocolConfig());
            assertSame(second.protocolConfig(), second.protocolConfig());
            assertNotSame(first.protocolConfig(), second.protocolConfig());
            assertEquals(1024, first.protocolConfig().autoFragmentSize());
            assertEquals(64 * 1024, second.protocolConfig().autoFragmentSize());
            LoopClient loops = (LoopClient) client;
            assertSame(loops.protocolConfig(), loops.protocolConfig());
        }
    }
}
