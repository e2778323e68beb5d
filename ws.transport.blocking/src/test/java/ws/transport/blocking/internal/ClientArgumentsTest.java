package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.transport.blocking.BlockingTransport;

/** What a client refuses before connecting, and how the transport is found. */
class ClientArgumentsTest {
    private static final WebSocketListener NOTHING = new WebSocketListener() { };

    @Test
    void wssNamesTheTlsTransport() {
        try (WebSocketClient client = WebSocketClient.builder().transport(new BlockingTransport()).build()) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> client.connect(URI.create("wss://example.com/"), NOTHING));
            assertTrue(error.getMessage().contains("ws.transport.tls"), error.getMessage());
        }
    }

    @Test
    void otherSchemesAndMissingHostsAreRefused() {
        try (WebSocketClient client = WebSocketClient.builder().transport(new BlockingTransport()).build()) {
            assertThrows(IllegalArgumentException.class, () -> client.connect(URI.create("http://example.com/"), NOTHING));
            assertThrows(IllegalArgumentException.class, () -> client.connect(URI.create("ws:/nohost"), NOTHING));
        }
    }

    @Test
    void aClosedClientConnectsNothing() {
        WebSocketClient client = WebSocketClient.builder().transport(new BlockingTransport()).build();
        client.close();
        assertThrows(IllegalStateException.class, () -> client.connect(URI.create("ws://127.0.0.1:1/"), NOTHING));
    }

    @Test
    void theServiceLoaderFindsTheBlockingTransport() {
        List<Transport> installed = Transport.installed();
        assertTrue(installed.stream().anyMatch(t -> t instanceof BlockingTransport), installed.toString());
        assertEquals("blocking", Transport.named("blocking").name());
        assertEquals(10, new BlockingTransport().priority());
    }
}
