package ws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDK's java.net.http.WebSocket client against our server, on both transports. */
class JdkClientInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static HttpClient http;

    @BeforeAll
    static void startHttpClient() {
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopHttpClient() {
        http.close();
    }

    /** What the JDK client receives: whole messages (parts joined), pongs, the close. */
    private static final class Recorder implements WebSocket.Listener {
        private final BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private int textParts;

        Object[] next() throws InterruptedException {
            Object[] event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("the JDK client received nothing within " + TIMEOUT);
            }
            return event;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            textParts++;
            if (last) {
                events.add(new Object[] {"text", text.toString(), textParts});
                text.setLength(0);
                textParts = 0;
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                events.add(new Object[] {"binary", binary.toByteArray()});
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            events.add(new Object[] {"pong", StandardCharsets.UTF_8.decode(message).toString()});
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Object[] {"close", statusCode, reason});
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Object[] {"error", error.toString()});
        }
    }

    private record Connection(ScenarioServer server, WebSocket webSocket, Recorder recorder) implements AutoCloseable {
        static Connection open(String transport, String path) throws Exception {
            ScenarioServer server = ScenarioServer.start(transport);
            Recorder recorder = new Recorder();
            WebSocket webSocket = http.newWebSocketBuilder().buildAsync(server.uri(path), recorder)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Connection(server, webSocket, recorder);
        }

        Object[] next() throws InterruptedException {
            return recorder.next();
        }

        void await(CompletableFuture<?> future) throws Exception {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The JDK client closes with 1000; our server echoes it and records it. */
        void closeNormally(String path) throws Exception {
            await(webSocket.sendClose(1000, "done"));
            Object[] close = next();
            assertEquals("close", close[0]);
            assertEquals(1000, close[1]);
            assertEquals(path + " 1000 done", server.nextClose(TIMEOUT));
        }

        @Override
        public void close() {
            webSocket.abort();
            server.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void text(String transport) throws Exception {
        try (Connection c = Connection.open(transport, "/echo")) {
            for (String text : List.of("hello from the JDK", "héllo wörld ✓ 🌍 中文", "")) {
                c.await(c.webSocket().sendText(text, true));
                Object[] event = c.next();
                assertEquals("text", event[0]);
                assertEquals(text, event[1]);
            }
            c.closeNormally("/echo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void binary(String transport) throws Exception {
        try (Connection c = Connection.open(transport, "/echo")) {
            for (byte[] bytes : List.of(random(256, 1), new byte[0])) {
                c.await(c.webSocket().sendBinary(ByteBuffer.wrap(bytes), true));
                Object[] event = c.next();
                assertEquals("binary", event[0]);
                assertArrayEquals(bytes, (byte[]) event[1]);
            }
            c.closeNormally("/echo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void oneMebibyteMessages(String transport) throws Exception {
        try (Connection c = Connection.open(transport, "/echo")) {
            String text = HexFormat.of().formatHex(random(512 * 1024, 2));
            c.await(c.webSocket().sendText(text, true));
            Object[] event = c.next();
            assertEquals("text", event[0]);
            assertEquals(text, event[1]);
            byte[] bytes = random(1 << 20, 3);
            c.await(c.webSocket().sendBinary(ByteBuffer.wrap(bytes), true));
            event = c.next();
            assertEquals("binary", event[0]);
            assertArrayEquals(bytes, (byte[]) event[1]);
            c.closeNormally("/echo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void fragmentedMessages(String transport) throws Exception {
        String text = "fragmented text ✓ " + "x".repeat(1000);
        try (Connection c = Connection.open(transport, "/echo")) {
            String[] parts = ScenarioServer.split(text, 5);
            for (int i = 0; i < parts.length; i++) {
                c.await(c.webSocket().sendText(parts[i], i == parts.length - 1));
            }
            Object[] event = c.next();
            assertEquals("text", event[0]);
            assertEquals(text, event[1]);
            c.closeNormally("/echo");
        }
        try (Connection c = Connection.open(transport, "/fragments")) {
            c.await(c.webSocket().sendText("7:" + text, true));
            Object[] event = c.next();
            assertEquals("text", event[0]);
            assertEquals(text, event[1]);
            byte[] bytes = random(70_000, 4);
            c.await(c.webSocket().sendBinary(ByteBuffer.wrap(bytes), true));
            event = c.next();
            assertEquals("binary", event[0]);
            assertArrayEquals(bytes, (byte[]) event[1]);
            c.closeNormally("/fragments");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void pingAndPong(String transport) throws Exception {
        try (Connection c = Connection.open(transport, "/ping")) {
            // our server pinged on open; the JDK client answered, and the server says so
            Object[] event = c.next();
            assertEquals("text", event[0]);
            assertEquals("pong:" + ScenarioServer.PING_PAYLOAD, event[1]);
            c.await(c.webSocket().sendPing(ByteBuffer.wrap("ping-from-jdk".getBytes(StandardCharsets.UTF_8))));
            event = c.next();
            assertEquals("pong", event[0]);
            assertEquals("ping-from-jdk", event[1]);
            c.closeNormally("/ping");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void clientCloseCodeReachesTheServer(String transport) throws Exception {
        try (Connection c = Connection.open(transport, "/echo")) {
            c.await(c.webSocket().sendClose(4000, "jdk-bye"));
            Object[] close = c.next();
            assertEquals("close", close[0]);
            assertEquals(4000, close[1]);
            assertEquals("/echo 4000 jdk-bye", c.server().nextClose(TIMEOUT));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void serverCloseCodeReachesTheClient(String transport) throws Exception {
        try (Connection c = Connection.open(transport, "/close")) {
            c.await(c.webSocket().sendText("4001 server-bye", true));
            Object[] close = c.next();
            assertEquals("close", close[0]);
            assertEquals(4001, close[1]);
            assertEquals("server-bye", close[2]);
            // the server's record is the client's reply: the code echoed, the reason is the client's choice
            assertTrue(c.server().nextClose(TIMEOUT).startsWith("/close 4001 "));
        }
    }
}
