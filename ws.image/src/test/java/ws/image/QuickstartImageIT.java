package ws.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image of a minimal ws:// application: the README's quick start (examples/quickstart, module
 * com.example.quickstart, which requires ws.protocol only) with the virtual-thread transport and
 * slf4j-simple, linked as a user would. Its size is bounded twice: absolutely, and by what the SDK
 * adds to the smallest runtime this JDK can make (a java.base-only image, linked the same way).
 * Then the quick start's server and client run from it.
 */
class QuickstartImageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("listening on ws://127\\.0\\.0\\.1:(\\d+)/echo");
    /**
     * The bound on the whole image. The issue asked for 35 MB; on Temurin 25 a java.base-only image
     * is already 38.7 MB stripped (24.8 MB of it libjvm.so), so 35 MB cannot be met by linking less:
     * see docs/tooling.md. What the SDK adds is bounded separately, below.
     */
    private static final double APP_IMAGE_MB = 40;
    /** What the SDK, the transport and slf4j add over java.base: measured 0.3 MB. */
    private static final double ADDED_OVER_JAVA_BASE_MB = 1;

    @TempDir
    static Path dir;
    private static Path app;
    private static Path javaBase;

    @BeforeAll
    static void link() throws Exception {
        String modules = System.getProperty("ws.image.modules");
        app = Images.link(dir.resolve("quickstart"), modules,
                "com.example.quickstart,ws.transport.virtualthreads,org.slf4j.simple",
                "--launcher", "echo-client=com.example.quickstart/com.example.quickstart.EchoClient");
        javaBase = Images.link(dir.resolve("java.base"), modules, "java.base");
        System.out.println(Images.describe("the quick start's jlink image", app));
        System.out.println(Images.describe("a java.base-only jlink image (the floor)", javaBase));
    }

    @Test
    void isSmallAndHoldsOnlyWhatItUses() throws Exception {
        Set<String> modules = Images.modules(app);
        assertEquals(Set.of("java.base", "org.slf4j", "org.slf4j.simple", "ws.protocol", "ws.transport.stream",
                "ws.transport.blocking", "ws.transport.virtualthreads", "com.example.quickstart"), modules);
        assertFalse(modules.contains("jdk.unsupported"), modules.toString());
        double megabytes = Images.size(app) / Images.MB;
        double added = (Images.size(app) - Images.size(javaBase)) / Images.MB;
        System.out.printf("the quick start's image: %.1f MB, of which %.2f MB over java.base%n", megabytes, added);
        double bound = Images.bound(APP_IMAGE_MB);
        assertTrue(megabytes < bound, String.format("the quick start's image is %.1f MB, over %.0f MB", megabytes, bound));
        assertTrue(added < ADDED_OVER_JAVA_BASE_MB, String.format("the SDK adds %.2f MB to java.base", added));
    }

    @Test
    void theQuickStartRunsFromIt() throws Exception {
        // bin/java itself, not a jlink launcher: a launcher is a shell script that does not exec java,
        // so SIGTERM would end the script and leave the JVM running
        try (ImageProcess server = ImageProcess.start(List.of(app.resolve("bin/java").toString(),
                "-m", "com.example.quickstart/com.example.quickstart.EchoServer", "0"))) {
            String line = server.nextLine(TIMEOUT);
            Matcher matcher = LISTENING.matcher(line);
            assertTrue(matcher.matches(), "unexpected first line: " + line + "\n" + server.errors());
            String url = "ws://127.0.0.1:" + matcher.group(1) + "/echo";

            // the README's client, from the same image, by its launcher
            try (ImageProcess client = ImageProcess.start(List.of(app.resolve("bin/echo-client").toString(), url))) {
                assertEquals("< hello", client.nextLine(TIMEOUT), client.errors());
                assertEquals("closed with 1000", client.nextLine(TIMEOUT), client.errors());
                assertEquals(0, client.waitFor(TIMEOUT), client.errors());
            }

            // and the JDK's client; SIGTERM runs the server's shutdown hook: 1001 to every client
            Recorder recorder = new Recorder();
            HttpClient http = HttpClient.newHttpClient();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(url), recorder).get(20, TimeUnit.SECONDS);
            ws.sendText("from the JDK", true).get(20, TimeUnit.SECONDS);
            assertEquals("text:from the JDK", recorder.next());
            server.terminate();
            assertEquals("close:1001", recorder.next(), server.errors());
            server.waitFor(TIMEOUT); // 143: a plain JVM ended by SIGTERM (the quick start does not trap it)
            http.close();
        }
    }
}
