package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** {@code ws broadcast} in process: every message to every client, the sender included, type kept. */
class BroadcastCommandTest {
    private static final long TIMEOUT = 20;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void sendsEveryMessageToEveryClientTheSenderIncluded(String transport) throws Exception {
        WebSocketServer server = BroadcastCommand.parse(List.of("--port", "0", "--transport", transport)).start();
        try (WebSocketClient client = WebSocketClient.builder().transport(Transport.named(transport)).build()) {
            EchoCommandTest.Recorder first = new EchoCommandTest.Recorder();
            EchoCommandTest.Recorder second = new EchoCommandTest.Recorder();
            WebSocket a = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/room"), first)
                    .get(TIMEOUT, TimeUnit.SECONDS);
            WebSocket b = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/other/path"), second)
                    .get(TIMEOUT, TimeUnit.SECONDS);
            for (int i = 0; i < 200 && server.connectionCount() < 2; i++) {
                Thread.sleep(10);
            }
            a.sendText("from a");
            assertEquals("text:from a", first.next(), "the sender gets its own message");
            assertEquals("text:from a", second.next());
            b.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xFF}));
            assertEquals("binary:0102ff", first.next());
            assertEquals("binary:0102ff", second.next());
            a.close().get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals("close:1000", first.next());
            b.sendText("after a left");
            assertEquals("text:after a left", second.next());
            b.close().get(TIMEOUT, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    @Test
    void refusesPositionalArguments() {
        UsageException e = assertThrows(UsageException.class, () -> BroadcastCommand.parse(List.of("extra")));
        assertEquals("broadcast takes no arguments, got \"extra\"", e.getMessage());
    }

    @Test
    void takesTheOptionsOfEcho() throws Exception {
        assertThrows(UsageException.class, () -> BroadcastCommand.parse(List.of("--deflate", "--no-extensions")));
        assertThrows(UsageException.class, () -> BroadcastCommand.parse(List.of("--cert", "c.pem", "--key", "k.pem")));
        // plain RFC 6455 unless --deflate, as echo
        WebSocketServer plain = BroadcastCommand.parse(List.of("--port", "0")).start();
        WebSocketServer deflate = BroadcastCommand.parse(List.of("--port", "0", "--deflate")).start();
        try {
            assertEquals(List.of(), plain.options().connection().extensions());
            assertEquals(List.of("permessage-deflate"),
                    deflate.options().connection().extensions().stream().map(f -> f.name()).toList());
        } finally {
            plain.close();
            deflate.close();
        }
    }

    @Test
    void takesAHighWaterMarkAndABackpressurePolicy() throws Exception {
        WebSocketServer dropping = BroadcastCommand.parse(List.of("--port", "0", "--high-water", "65536",
                "--backpressure", "close")).start();
        WebSocketServer defaults = BroadcastCommand.parse(List.of("--port", "0")).start();
        try {
            assertEquals(65536, dropping.options().connection().highWaterMark());
            assertEquals(BackpressurePolicy.CLOSE, dropping.options().connection().backpressure());
            assertEquals(ServerCommand.HIGH_WATER_MARK, defaults.options().connection().highWaterMark());
            assertEquals(BackpressurePolicy.WAIT, defaults.options().connection().backpressure());
        } finally {
            dropping.close();
            defaults.close();
        }
        UsageException policy = assertThrows(UsageException.class,
                () -> BroadcastCommand.parse(List.of("--backpressure", "drop")));
        assertEquals("--backpressure must be wait, fail or close, got \"drop\"", policy.getMessage());
        assertThrows(UsageException.class, () -> BroadcastCommand.parse(List.of("--high-water", "0")));
    }
}
