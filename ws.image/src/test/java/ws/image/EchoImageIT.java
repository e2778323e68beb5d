package ws.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.transport.tls.DevCertificate;

/**
 * The tool's image (built by the pom in {@code package}): its size is bounded and it carries no
 * BouncyCastle; it starts, prints usage, serves ws:// on both transports and wss:// with PEM files,
 * and stops in order on SIGTERM (1001 to the client, exit status 0).
 */
class EchoImageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("listening on (wss?)://127\\.0\\.0\\.1:(\\d+)/");
    /** The target for the tool with wss://; measured 39.1 MB on Temurin 25 (docs/tooling.md). */
    // java.base alone is 38.7 MB on this JDK; the SDK with wss:// adds 0.4 MB, the chat demo's
    // ws.events (Jackson: core, databind, annotations) about 2 MB, and ws connect's line editor (JLine:
    // reader, terminal, and its native package, which cannot be left out) 0.8 MB: 42.0 MB measured
    private static final double TOOL_IMAGE_MB = 43;
    private static Path image;

    @TempDir
    Path dir;

    @BeforeAll
    static void findImage() throws IOException {
        image = Path.of(System.getProperty("ws.image", "target/image"));
        assertTrue(Files.isExecutable(image.resolve("bin/java")), "no image at " + image.toAbsolutePath());
        System.out.println(Images.describe("the tool's jlink image " + image, image));
    }

    @Test
    void isSmallAndCarriesNoBouncyCastle() throws IOException {
        Set<String> modules = Images.modules(image);
        assertTrue(modules.contains("ws.transport.tls"), "wss:// is in the tool: " + modules);
        assertTrue(modules.contains("ws.transport.eventloop"), "--transport eventloop is in the tool: " + modules);
        assertFalse(modules.stream().anyMatch(name -> name.startsWith("org.bouncycastle")), modules.toString());
        assertFalse(modules.contains("java.sql") || modules.contains("java.naming"), "what BouncyCastle drags in: " + modules);
        double megabytes = Images.size(image) / Images.MB;
        double bound = Images.bound(TOOL_IMAGE_MB);
        assertTrue(megabytes < bound, String.format("the tool's image is %.1f MB, over %.0f MB", megabytes, bound));
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
    @ValueSource(strings = {"blocking", "virtual", "eventloop"})
    void echoServerEchoesAndStopsOnSigterm(String transport) throws Exception {
        List<String> command = List.of(image.resolve("bin/java").toString(), "-m", "ws.cli/ws.cli.Main",
                "echo", "--port", "0", "--transport", transport);
        try (ImageProcess server = ImageProcess.start(command)) {
            String line = server.nextLine(TIMEOUT);
            Matcher matcher = LISTENING.matcher(line);
            assertTrue(matcher.matches(), "unexpected first line: " + line + "\n" + server.errors());
            URI uri = URI.create("ws://127.0.0.1:" + matcher.group(2) + "/any/path?x=1");

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

    @Test
    void servesWssWithPemFilesAndNoBouncyCastle() throws Exception {
        // made here, in the test's JVM (which has BouncyCastle); the image only reads the PEM files
        DevCertificate certificate = DevCertificate.create();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate.writePem(cert, key);
        // bin/java, not the bin/ws launcher (a script that does not exec java): SIGTERM must reach the JVM
        List<String> command = List.of(image.resolve("bin/java").toString(), "-m", "ws.cli/ws.cli.Main", "echo",
                "--port", "0", "--tls", "--cert", cert.toString(), "--key", key.toString());
        try (ImageProcess server = ImageProcess.start(command)) {
            String line = server.nextLine(TIMEOUT);
            Matcher matcher = LISTENING.matcher(line);
            assertTrue(matcher.matches() && matcher.group(1).equals("wss"), "unexpected first line: " + line + "\n" + server.errors());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("dev", certificate.root());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trustManagers.getTrustManagers(), null);
            Recorder recorder = new Recorder();
            HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
            WebSocket client = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + matcher.group(2) + "/"), recorder).get(20, TimeUnit.SECONDS);
            client.sendText("hello over TLS", true).get(20, TimeUnit.SECONDS);
            assertEquals("text:hello over TLS", recorder.next());
            server.terminate();
            assertEquals("close:1001", recorder.next(), server.errors());
            assertEquals(0, server.waitFor(TIMEOUT), "exit status after SIGTERM\n" + server.errors());
            http.close();
        }
    }

    @Test
    void tlsWithoutFilesSaysToGiveThem() throws Exception {
        // a development certificate needs BouncyCastle, which the image leaves out
        try (ImageProcess ws = ImageProcess.start(List.of(image.resolve("bin/ws").toString(), "echo", "--port", "0", "--tls"))) {
            assertEquals(1, ws.waitFor(TIMEOUT), ws.errors());
            assertTrue(ws.errors().contains("give --cert FILE --key FILE"), ws.errors());
        }
    }
}
