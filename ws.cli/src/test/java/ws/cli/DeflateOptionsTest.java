package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.extension.ExtensionParameters;

/**
 * permessage-deflate in the tool: {@code ws echo} accepts it only with {@code --deflate};
 * {@code ws connect} offers it by default, {@code --no-extensions} turns the offer off.
 */
class DeflateOptionsTest {
    private static final long TIMEOUT = 20;

    /** What the echo server negotiated with a client that offers permessage-deflate, and that the echo works. */
    private static String negotiatedWithEcho(List<String> echoArgs, String transport) throws Exception {
        WebSocketServer server = EchoCommand.parse(echoArgs).start();
        try (WebSocketClient client = WebSocketClient.builder().transport(Transport.named(transport)).build()) {
            BlockingQueue<String> texts = new LinkedBlockingQueue<>();
            WebSocket webSocket = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocketListener() {
                        @Override
                        public void onText(WebSocket ws, String text) {
                            texts.add(text);
                        }
                    }).get(TIMEOUT, TimeUnit.SECONDS);
            String big = "compress me ".repeat(10_000);
            webSocket.sendText(big);
            assertEquals(big, texts.poll(TIMEOUT, TimeUnit.SECONDS));
            String negotiated = ExtensionParameters.formatAll(webSocket.extensions());
            webSocket.close().get(TIMEOUT, TimeUnit.SECONDS);
            return negotiated;
        } finally {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoWithDeflateAcceptsPermessageDeflate(String transport) throws Exception {
        String negotiated = negotiatedWithEcho(List.of("--port", "0", "--transport", transport, "--deflate"), transport);
        assertTrue(negotiated.startsWith("permessage-deflate"), negotiated);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoWithoutDeflateIsPlainRfc6455(String transport) throws Exception {
        assertEquals("", negotiatedWithEcho(List.of("--port", "0", "--transport", transport), transport));
    }

    @Test
    void contradictoryFlagsAreUsageErrors() {
        assertThrows(UsageException.class, () -> EchoCommand.parse(List.of("--deflate", "--no-extensions")));
        assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("ws://127.0.0.1:1/", "--deflate", "--no-extensions")));
    }

    /** Runs {@code ws connect URL args} against a deflate-accepting server; returns the offer the server saw. */
    private static String offerSeenByServer(String... args) throws Exception {
        BlockingQueue<String> offers = new LinkedBlockingQueue<>();
        WebSocketServer server = WebSocketServer.builder().port(0)
                .connection(c -> c.withExtensions(List.of(new PerMessageDeflate())))
                .route("/*", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        offers.add(webSocket.request().header("Sec-WebSocket-Extensions").orElse("")
                                + " -> " + ExtensionParameters.formatAll(webSocket.extensions()));
                        webSocket.close(1000, "");
                    }
                })
                .start();
        try {
            List<String> all = new java.util.ArrayList<>(List.of("ws://127.0.0.1:" + server.port() + "/"));
            all.addAll(List.of(args));
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(sink, true, StandardCharsets.UTF_8);
            int status = ConnectCommand.parse(all).run(new ByteArrayInputStream(new byte[0]), print, print, false, false);
            assertEquals(0, status, sink.toString(StandardCharsets.UTF_8));
            String offer = offers.poll(TIMEOUT, TimeUnit.SECONDS);
            assertTrue(offer != null, "the server saw no connection");
            return offer;
        } finally {
            server.close();
        }
    }

    @Test
    void connectOffersPermessageDeflateByDefaultAndWithDeflate() throws Exception {
        assertEquals("permessage-deflate; client_max_window_bits -> permessage-deflate", offerSeenByServer());
        assertEquals("permessage-deflate; client_max_window_bits -> permessage-deflate", offerSeenByServer("--deflate"));
    }

    @Test
    void connectWithNoExtensionsOffersNothing() throws Exception {
        assertEquals(" -> ", offerSeenByServer("--no-extensions"));
    }
}
