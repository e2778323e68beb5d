package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.PreparedMessage;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.protocol.deflate.PerMessageDeflate;

/** RFC 7692 over real sockets: the transport moves the engine's bytes, compressed or not, unchanged. */
class PerMessageDeflateOverSocketsTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    private static ConnectionOptions deflate() {
        return Support.fast().withExtensions(List.of(new PerMessageDeflate()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void compressedEchoBroadcastAndFragments(Transport transport) throws Exception {
        Recorder serverSide = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).connection(deflate()).route("/z", serverSide).start();
             WebSocketClient client = Support.client(transport).connection(deflate().withAutoFragmentSize(4096)).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/z"), clientSide).get(30, TimeUnit.SECONDS);
            assertEquals("permessage-deflate", ws.extensions().get(0).name());
            String text = "compress me, ".repeat(50_000);
            ws.sendText(text);
            assertEquals(text, clientSide.nextOf(Recorder.Text.class).text());
            byte[] noise = new byte[200_000];
            new java.util.Random(3).nextBytes(noise);
            ws.sendBinary(ByteBuffer.wrap(noise));
            assertArrayEquals(noise, clientSide.nextOf(Recorder.Binary.class).bytes());
            ws.sendText("tiny");
            assertEquals("tiny", clientSide.nextOf(Recorder.Text.class).text());
            server.broadcast(PreparedMessage.text("to all, ".repeat(1000)));
            assertEquals("to all, ".repeat(1000), clientSide.nextOf(Recorder.Text.class).text());
            assertTrue(serverSide.awaitOpen().extensions().size() == 1);
        }
    }
}
