package ws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * Real headless Chromium as a client of our server, with permessage-deflate accepted. Chromium
 * offers {@code permessage-deflate; client_max_window_bits}. Our server serves the test page
 * ({@code interop/node/chromium-page.html}) through its {@code HttpHandler} on the same port; the
 * page exchanges text and binary messages (small and 1 MiB) over {@code /echo} and closes with 4000.
 * Two server settings: the defaults (the browser's window unrestricted: the response is plain
 * {@code permessage-deflate}) and a demanding one (client_max_window_bits=10 for the browser,
 * server_no_context_takeover for us), on both transports. Driven by {@code interop/node/chromium.mjs}
 * (playwright-core); a missing browser or package fails (skips loudly with WS_INTEROP_OPTIONAL=1).
 */
class ChromiumInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    static Stream<Arguments> transportsAndSettings() {
        return Stream.of("blocking", "virtual", "eventloop").flatMap(t -> Stream.of("defaults", "window-10-no-context")
                .map(s -> Arguments.of(t, s)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("transportsAndSettings")
    void chromiumTalksToOurServer(String transport, String settings) throws Exception {
        PeerAssumptions.requirePeer("chromium", Peers::chromiumMissing);
        PerMessageDeflate deflate = settings.equals("defaults") ? new PerMessageDeflate()
                : PerMessageDeflate.builder().peerMaxWindowBits(10).noContextTakeover(true).build();
        byte[] page = Files.readAllBytes(Peers.nodeDirectory().resolve("chromium-page.html"));
        BlockingQueue<String> negotiated = new LinkedBlockingQueue<>();
        BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        try (WebSocketServer server = WebSocketServer.builder().port(0).transport(Transport.named(transport))
                .connection(options -> options.withExtensions(List.of(deflate)))
                .http("/*", HttpHandler.responding(request -> new HandshakeResponse(200, "OK",
                        HttpHeaders.builder().add("Content-Type", "text/html; charset=utf-8")
                                .add("Cache-Control", "no-store").build(), page)))
                .route("/echo", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        negotiated.add(ExtensionParameters.formatAll(webSocket.extensions()));
                    }

                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocket webSocket, ByteBuffer data) {
                        webSocket.sendBinary(data);
                    }

                    @Override
                    public void onClose(WebSocket webSocket, CloseStatus status) {
                        closes.add(status.code() + " " + status.reason());
                    }
                })
                .start()) {
            String url = "http://127.0.0.1:" + server.port() + "/chromium.html";
            try (PeerProcess browser = PeerProcess.start(Peers.nodeDirectory(), List.of("node", "chromium.mjs", url))) {
                int status = browser.waitFor(TIMEOUT);
                String output = browser.output();
                assertFalse(output.contains("FAIL"), "chromium reported a failure\n" + browser.describe());
                assertTrue(output.contains("PASS close 4000"), "chromium did not finish\n" + browser.describe());
                assertEquals(0, status, "exit status\n" + browser.describe());
                String ours = negotiated.poll(30, TimeUnit.SECONDS);
                String expected = settings.equals("defaults") ? "permessage-deflate"
                        : "permessage-deflate; server_no_context_takeover; client_max_window_bits=10";
                assertEquals(expected, ours, "what our server answered to " + browser.describe());
                String theirs = output.lines().filter(l -> l.startsWith("extensions ")).findFirst().orElse("")
                        .substring("extensions ".length());
                assertEquals(expected, theirs, "WebSocket.extensions in Chromium");
                System.out.println("chromium on " + transport + " (" + settings + "): WebSocket.extensions = \""
                        + theirs + "\"; " + output.lines().filter(l -> l.startsWith("browser ")).findFirst().orElse(""));
            }
            assertEquals("4000 chromium-bye", closes.poll(10, TimeUnit.SECONDS), "the close our server saw");
        }
    }
}
