package ws.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.extension.ExtensionParameters;

/** Defaults like the widely used libraries: a client offers permessage-deflate, a server accepts it only when configured. */
class ClientDefaultsTest {

    @Test
    void aClientBuiltWithDefaultsOffersPermessageDeflate() {
        ClientOptions options = new ClientOptions.Builder().options();
        assertEquals(1, options.connection().extensions().size());
        PerMessageDeflate deflate = assertInstanceOf(PerMessageDeflate.class, options.connection().extensions().get(0));
        assertEquals("permessage-deflate; client_max_window_bits", ExtensionParameters.formatAll(deflate.offers()),
                "the offer of PerMessageDeflate's defaults");
    }

    @Test
    void serverOptionsAndPlainDefaultsHaveNoExtensions() {
        assertTrue(ConnectionOptions.defaults().extensions().isEmpty(), "ConnectionOptions.defaults() is a server's start");
        assertTrue(new ServerOptions.Builder().route("/", new WebSocketListener() { }).build().connection().extensions().isEmpty(),
                "a server accepts permessage-deflate only when configured");
    }

    @Test
    void clientDefaultsAreTheDefaultsWithDeflate() {
        ConnectionOptions client = ConnectionOptions.clientDefaults();
        ConnectionOptions plain = ConnectionOptions.defaults();
        assertEquals(plain.limits(), client.limits());
        assertEquals(plain.pingInterval(), client.pingInterval());
        assertEquals(plain.handshakeTimeout(), client.handshakeTimeout());
        assertEquals(List.of("permessage-deflate"), client.extensions().stream().map(f -> f.name()).toList());
    }

    @Test
    void theOfferCanBeTurnedOffOrReplaced() {
        assertTrue(new ClientOptions.Builder().connection(c -> c.withExtensions(List.of())).options()
                .connection().extensions().isEmpty());
        assertTrue(new ClientOptions.Builder().connection(ConnectionOptions.defaults()).options()
                .connection().extensions().isEmpty(), "connection(ConnectionOptions) replaces the options whole");
    }
}
