package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;

/**
 * The chat demo in real headless Chromium: two pages chat through {@link ChatServer}; the server
 * drops one page's connection, the other sends messages meanwhile, and after reconnecting (its
 * session recovered) the first page shows each of them once, in order. Driven by
 * {@code interop/node/chat-chromium.mjs} (playwright-core); without Chromium or the Node packages it
 * is skipped, or fails with {@code WS_INTEROP_REQUIRED=1} (as CI sets), like ws.interop's peers.
 */
class ChatChromiumTest {
    private static final Path NODE = Path.of(System.getProperty("ws.interop.dir", "../interop"))
            .toAbsolutePath().normalize().resolve("node");
    private static final String CHROMIUM = System.getenv().getOrDefault("WS_INTEROP_CHROMIUM", "/usr/bin/chromium");

    private static void requireChromium() {
        String missing = !Files.isExecutable(Path.of(CHROMIUM)) ? CHROMIUM + " is not installed (apt-get install chromium)"
                : !Files.isRegularFile(NODE.resolve("node_modules/playwright-core/package.json"))
                ? "playwright-core is not installed: run 'npm ci' in " + NODE : null;
        if (missing == null) {
            return;
        }
        if ("1".equals(System.getenv("WS_INTEROP_REQUIRED"))) {
            Assertions.fail("chromium is missing: " + missing + " (WS_INTEROP_REQUIRED=1)");
        }
        Assumptions.abort("chromium is missing: " + missing);
    }

    @Test
    void twoPagesChatAndTheOneThatLostItsConnectionShowsWhatItMissedOnce() throws Exception {
        requireChromium();
        try (ChatServer chat = ChatServer.start("127.0.0.1", 0, Transport.defaultTransport())) {
            String url = "http://127.0.0.1:" + chat.server().port() + "/";
            Process browser = new ProcessBuilder("node", "chat-chromium.mjs", url).directory(NODE.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.equals("drop alice")) {
                        List<WebSocket> alice = chat.server().connections().stream()
                                .filter(ws -> ws.request().target().contains("tab=alice")).toList();
                        assertEquals(1, alice.size(), "alice's connections: " + alice);
                        alice.getFirst().abort(); // the server drops it: no close frame, no DISCONNECT packet
                    }
                }
            } catch (IOException e) {
                output.append("(output ended: ").append(e).append(")\n");
            }
            assertTrue(browser.waitFor(120, TimeUnit.SECONDS), "chromium did not finish\n" + output);
            String result = output.toString();
            assertFalse(result.contains("FAIL"), result);
            assertTrue(result.contains("PASS alice shows \"missed three\" once"), result);
            assertTrue(result.contains("PASS alice recovered her session"), result);
            assertEquals(0, browser.exitValue(), result);
            System.out.print(result);
        }
    }
}
