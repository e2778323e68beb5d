package ws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.deflate.PerMessageDeflate;
import ws.protocol.extension.ExtensionFactory;
import ws.protocol.extension.ExtensionParameters;

/** Our client against a server made with Node's ws package (interop/node/server.mjs), on both transports. */
class NodeServerInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static PeerProcess node;
    private static String base;

    @BeforeAll
    static void startNodeServer() throws Exception {
        if (Peers.nodeMissing().isPresent()) {
            return; // each test skips or fails with the reason
        }
        node = PeerProcess.start(Peers.nodeDirectory(), List.of("node", "server.mjs"));
        String line = node.nextLine(TIMEOUT);
        if (!line.startsWith("listening ")) {
            throw new AssertionError("unexpected first line from the node server: " + line + "\n" + node.describe());
        }
        base = "ws://127.0.0.1:" + line.substring("listening ".length()).strip();
    }

    @AfterAll
    static void stopNodeServer() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void requireNode() {
        PeerAssumptions.requirePeer("node ws", Peers::nodeMissing);
    }

    /** A client on {@code transport}, connected to {@code path} of the node server. */
    private static Connection connect(String transport, String path) throws Exception {
        return connect(transport, path, false);
    }

    /** The same, offering permessage-deflate when {@code deflate}. */
    private static Connection connect(String transport, String path, boolean deflate) throws Exception {
        return connect(transport, path, deflate ? ScenarioServer.installedExtensions() : List.of());
    }

    /** The same, offering these extensions. */
    private static Connection connect(String transport, String path, List<ExtensionFactory> extensions)
            throws Exception {
        WebSocketClient client = WebSocketClient.builder().transport(Transport.named(transport))
                .connection(options -> options.withExtensions(extensions))
                .build();
        Inbox inbox = new Inbox();
        WebSocket webSocket = client.connect(URI.create(base + path), inbox).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return new Connection(client, webSocket, inbox);
    }

    private record Connection(WebSocketClient client, WebSocket webSocket, Inbox inbox) implements AutoCloseable {
        Inbox.Event next() throws InterruptedException {
            return inbox.next(TIMEOUT);
        }

        /** Closes with 1000 and checks both sides agree. */
        void closeNormally() throws Exception {
            CloseStatus status = webSocket.close(1000, "done").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(1000, status.code(), status.toString());
            assertEquals("close", next().kind());
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void assertText(String expected, Inbox.Event event) {
        assertEquals("text", event.kind(), event.toString());
        assertEquals(expected, event.text());
    }

    private static void assertBinary(byte[] expected, Inbox.Event event) {
        assertEquals("binary", event.kind(), event.toString());
        assertArrayEquals(expected, event.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void text(String transport) throws Exception {
        try (Connection c = connect(transport, "/echo")) {
            for (String text : List.of("hello from java", "héllo wörld ✓ 🌍 中文", "")) {
                c.webSocket().sendText(text);
                assertText(text, c.next());
            }
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void binary(String transport) throws Exception {
        try (Connection c = connect(transport, "/echo")) {
            for (byte[] bytes : List.of(random(256, 1), new byte[0])) {
                c.webSocket().sendBinary(ByteBuffer.wrap(bytes));
                assertBinary(bytes, c.next());
            }
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void oneMebibyteMessages(String transport) throws Exception {
        try (Connection c = connect(transport, "/echo")) {
            String text = HexFormat.of().formatHex(random(512 * 1024, 2));
            c.webSocket().sendText(text);
            assertText(text, c.next());
            byte[] bytes = random(1 << 20, 3);
            c.webSocket().sendBinary(ByteBuffer.wrap(bytes));
            assertBinary(bytes, c.next());
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void fragmentedMessagesSent(String transport) throws Exception {
        try (Connection c = connect(transport, "/echo")) {
            String text = "fragmented text ✓ " + "x".repeat(1000);
            String[] parts = ScenarioServer.split(text, 5);
            for (int i = 0; i < parts.length; i++) {
                c.webSocket().sendText(parts[i], i == parts.length - 1);
            }
            assertText(text, c.next());
            byte[] bytes = random(70_000, 4);
            for (int i = 0; i < 4; i++) {
                c.webSocket().sendBinary(ByteBuffer.wrap(bytes, i * 17_500, 17_500), i == 3);
            }
            assertBinary(bytes, c.next());
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void fragmentedMessagesReceived(String transport) throws Exception {
        try (Connection c = connect(transport, "/fragments")) {
            String text = "fragmented text ✓ " + "x".repeat(1000);
            c.webSocket().sendText("7:" + text);
            assertText(text, c.next());
            byte[] bytes = random(70_000, 5);
            c.webSocket().sendBinary(ByteBuffer.wrap(bytes));
            assertBinary(bytes, c.next());
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void pingAndPong(String transport) throws Exception {
        try (Connection c = connect(transport, "/ping")) {
            // the node server pinged on open; our client answered by itself, and the server says so
            assertText("pong:" + ScenarioServer.PING_PAYLOAD, c.next());
            c.webSocket().ping(ByteBuffer.wrap("ping-from-java".getBytes(StandardCharsets.UTF_8)));
            Inbox.Event pong = c.next();
            assertEquals("pong", pong.kind(), pong.toString());
            assertEquals("ping-from-java", pong.text());
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void permessageDeflate(String transport) throws Exception {
        try (Connection c = connect(transport, "/echo", true)) {
            assertEquals(List.of("permessage-deflate"),
                    c.webSocket().extensions().stream().map(e -> e.name()).toList());
            String text = "all work and no play makes jack a dull boy ✓ ".repeat(3000);
            c.webSocket().sendText(text);
            assertText(text, c.next());
            c.webSocket().sendText("short");
            assertText("short", c.next());
            byte[] bytes = random(1 << 20, 6);
            c.webSocket().sendBinary(ByteBuffer.wrap(bytes));
            assertBinary(bytes, c.next());
            String fragmented = "fragmented and compressed ".repeat(400);
            String[] parts = ScenarioServer.split(fragmented, 4);
            for (int i = 0; i < parts.length; i++) {
                c.webSocket().sendText(parts[i], i == parts.length - 1);
            }
            assertText(fragmented, c.next());
            c.closeNormally();
        }
    }

    /**
     * Context takeover off in both directions: we reset our compressor after every message and say
     * so (client_no_context_takeover), and ask node to reset its own (server_no_context_takeover);
     * on (the default) in {@link #permessageDeflate}. Repeated, similar messages are what a reset
     * compressor cannot refer back to, so a side that kept its context would break the other's inflater.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void permessageDeflateWithoutContextTakeover(String transport) throws Exception {
        PerMessageDeflate deflate = PerMessageDeflate.builder().threshold(0).noContextTakeover(true)
                .requestPeerNoContextTakeover(true).build();
        try (Connection c = connect(transport, "/echo", List.of(deflate))) {
            assertEquals(1, c.webSocket().extensions().size());
            ExtensionParameters agreed = c.webSocket().extensions().get(0);
            assertEquals("permessage-deflate", agreed.name());
            assertEquals(true, agreed.has("server_no_context_takeover"), agreed.toString());
            assertEquals(true, agreed.has("client_no_context_takeover"), agreed.toString());
            for (int i = 0; i < 5; i++) {
                String text = ("{\"order\": " + i + ", \"item\": \"the same words again and again\"} ").repeat(200);
                c.webSocket().sendText(text);
                assertText(text, c.next());
            }
            byte[] bytes = random(1 << 20, 7);
            c.webSocket().sendBinary(ByteBuffer.wrap(bytes));
            assertBinary(bytes, c.next());
            c.closeNormally();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void clientCloseCodeReachesTheServer(String transport) throws Exception {
        try (Connection c = connect(transport, "/echo")) {
            CloseStatus status = c.webSocket().close(4000, "java-bye").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(4000, status.code(), status.toString());
            assertEquals("closed /echo 4000 java-bye", nextClosedLine());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void serverCloseCodeReachesTheClient(String transport) throws Exception {
        try (Connection c = connect(transport, "/close")) {
            c.webSocket().sendText("4001 server-bye");
            Inbox.Event close = c.next();
            assertEquals("close", close.kind(), close.toString());
            assertEquals(4001, close.status().code(), close.toString());
            assertEquals("server-bye", close.status().reason());
            assertEquals(4001, c.webSocket().closeFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).code());
            // what node saw is our reply: the code echoed (RFC 6455 section 5.5.1), no reason
            assertEquals("closed /close 4001 ", nextClosedLine());
        }
    }

    /** The node server prints a line per closed connection; earlier tests' lines come first. */
    private static String nextClosedLine() throws InterruptedException {
        String line = node.nextLine(TIMEOUT);
        while (line.startsWith("closed ") && line.endsWith(" 1000 done")) {
            line = node.nextLine(TIMEOUT);
        }
        return line;
    }
}
