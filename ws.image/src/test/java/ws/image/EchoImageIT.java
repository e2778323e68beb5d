package ws.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starts the jlink image's echo server, talks to it with the JDK's WebSocket client, stops it with
 * SIGTERM: the image has everything it needs (SDK modules, both transports, the slf4j binding),
 * and the shutdown is orderly (1001 to the client, exit status 0).
 */
class EchoImageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    private static Path image;

    @BeforeAll
    static void findImage() throws IOException {
        image = Path.of(System.getProperty("ws.image", "target/image"));
        assertTrue(Files.isExecutable(image.resolve("bin/java")), "no image at " + image.toAbsolutePath());
        long bytes;
        try (Stream<Path> files = Files.walk(image)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(EchoImageIT::size).sum();
        }
        System.out.printf("jlink image %s: %.1f MB (modules: %s)%n", image.toAbsolutePath(), bytes / 1e6,
                Files.readAllLines(image.resolve("release")).stream()
                        .filter(line -> line.startsWith("MODULES=")).findFirst().orElse("?"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void launcherPrintsUsage() throws Exception {
        try (ImageProcess ws = ImageProcess.start(List.of(image.resolve("bin/ws").toString(), "--help"))) {
            assertTrue(ws.nextLine(TIMEOUT).startsWith("usage: ws"), ws.errors());
            assertEquals(0, ws.waitFor(TIMEOUT), ws.errors());
        }
    }

    @Test
    void unknownCommandIsAUsageError() throws Exception {
        try (ImageProcess ws = ImageProcess.start(List.of(image.resolve("bin/ws").toString(), "nonsense"))) {
            assertEquals(2, ws.waitFor(TIMEOUT), ws.errors());
            assertTrue(ws.errors().contains("unknown command"), ws.errors());
        }
    }

    @ParameterizedTest(name = "transport {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoServerEchoesAndStopsOnSigterm(String transport) throws Exception {
        List<String> command = List.of(image.resolve("bin/java").toString(), "-m", "ws.cli/ws.cli.Main",
                "echo", "--port", "0", "--transport", transport);
        try (ImageProcess server = ImageProcess.start(command)) {
            String line = server.nextLine(TIMEOUT);
            Matcher matcher = LISTENING.matcher(line);
            assertTrue(matcher.matches(), "unexpected first line: " + line + "\n" + server.errors());
            URI uri = URI.create("ws://127.0.0.1:" + matcher.group(1) + "/any/path?x=1");

            Recorder recorder = new Recorder();
            HttpClient http = HttpClient.newHttpClient();
            WebSocket client = http.newWebSocketBuilder().buildAsync(uri, recorder).get(20, TimeUnit.SECONDS);

            client.sendText("hello, image", true).get(20, TimeUnit.SECONDS);
            assertEquals("text:hello, image", recorder.next());

            byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
            client.sendBinary(ByteBuffer.wrap(bytes), true).get(20, TimeUnit.SECONDS);
            String binary = recorder.next();
            assertTrue(binary.startsWith("binary:"), binary);
            assertArrayEquals(bytes, recorder.lastBinary);

            server.terminate();
            assertEquals("close:1001", recorder.next(), server.errors());
            assertEquals(0, server.waitFor(TIMEOUT), "exit status after SIGTERM\n" + server.errors());
            http.close();
        }
    }

    /** Records what the JDK client receives, one event per entry. */
    private static final class Recorder implements WebSocket.Listener {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        private volatile byte[] lastBinary;

        String next() throws InterruptedException {
            String event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("nothing received within " + TIMEOUT);
            }
            return event;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add("text:" + text);
                text.setLength(0);
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
                lastBinary = binary.toByteArray();
                binary.reset();
                events.add("binary:" + lastBinary.length);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close:" + statusCode);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add("error:" + error);
        }
    }
}
