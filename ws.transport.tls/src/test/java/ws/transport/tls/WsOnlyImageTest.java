package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BouncyCastle is an optional dependency of ws.transport.tls only: a jlink image of an application that speaks
 * only ws:// (ws.protocol and the virtual-thread transport, and a tiny main) has no BouncyCastle
 * module, even with ws.transport.tls and BouncyCastle on the module path it is linked from. The
 * image is built and started.
 */
class WsOnlyImageTest {
    @TempDir
    Path dir;

    /** Where each module of the test's boot layer comes from (jars or exploded folders). */
    private static List<Path> modulePath() {
        Set<Path> paths = new LinkedHashSet<>();
        for (ResolvedModule module : ModuleLayer.boot().configuration().modules()) {
            String name = module.name();
            if (name.startsWith("ws.") || name.startsWith("org.bouncycastle") || name.startsWith("org.slf4j")) {
                module.reference().location().ifPresent(uri -> paths.add(Path.of(uri)));
            }
        }
        return new ArrayList<>(paths);
    }

    private static String run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool).orElseThrow(() -> new AssertionError("no " + tool + " tool"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = provider.run(print, print, args);
        assertEquals(0, status, () -> tool + " " + String.join(" ", args) + " failed:\n" + out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWsOnlyImageHasNoBouncyCastle() throws Exception {
        List<Path> libraries = modulePath();
        assertTrue(libraries.stream().anyMatch(p -> p.toString().contains("bcprov")), "BouncyCastle is on the module path: "
                + libraries);
        String path = libraries.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));

        // a tiny ws:// application
        Path source = dir.resolve("src");
        Files.createDirectories(source.resolve("app"));
        Files.writeString(source.resolve("module-info.java"), """
                module wsonly.app {
                    requires ws.transport.virtualthreads;
                }
                """);
        Files.writeString(source.resolve("app/Main.java"), """
                package app;

                public final class Main {
                    public static void main(String[] args) throws Exception {
                        try (var server = ws.protocol.api.WebSocketServer.builder()
                                .route("/", new ws.protocol.api.WebSocketListener() { })
                                .transport(new ws.transport.virtualthreads.VirtualThreadTransport())
                                .start()) {
                            System.out.println("ws-only app listening on " + server.port());
                        }
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        run("javac", "--module-path", path, "-d", classes.toString(),
                source.resolve("module-info.java").toString(), source.resolve("app/Main.java").toString());

        // resolved as jlink resolves it (no service binding): the ws:// app does not reach BouncyCastle...
        ModuleFinder finder = ModuleFinder.of(libraries.toArray(new Path[0]));
        ModuleFinder withApp = ModuleFinder.compose(ModuleFinder.of(classes), finder);
        Set<String> wsOnly = resolve(withApp, "wsonly.app");
        assertFalse(wsOnly.stream().anyMatch(name -> name.startsWith("org.bouncycastle")), wsOnly.toString());
        assertFalse(wsOnly.contains("ws.transport.tls"), wsOnly.toString());
        // ...nor does an application of wss:// (BouncyCastle is optional, for development certificates)...
        Set<String> wss = resolve(finder, "ws.transport.tls");
        assertFalse(wss.stream().anyMatch(name -> name.startsWith("org.bouncycastle")), wss.toString());
        // ...while asking for it resolves it all (so the checks above can fail)
        assertTrue(resolve(finder, "org.bouncycastle.pkix").contains("org.bouncycastle.provider"));

        // the image itself
        Path image = dir.resolve("image");
        // jlink runs as its own process: it cannot link from the run-time image of a patched JVM (this test's)
        Process jlink = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
                "--module-path", classes + java.io.File.pathSeparator + path,
                "--add-modules", "wsonly.app", "--strip-debug", "--no-header-files", "--no-man-pages",
                "--output", image.toString()).redirectErrorStream(true).start();
        assertTrue(jlink.waitFor(120, TimeUnit.SECONDS), "jlink did not end");
        String linked = new String(jlink.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, jlink.exitValue(), "jlink failed: " + linked);
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(image.resolve("release"))) {
            release.load(in);
        }
        String modules = release.getProperty("MODULES").replace("\"", "");
        assertTrue(modules.contains("ws.transport.virtualthreads"), modules);
        assertFalse(modules.contains("org.bouncycastle"), "BouncyCastle in a ws://-only image: " + modules);
        assertFalse(modules.contains("ws.transport.tls"), modules);
        assertFalse(modules.contains("java.sql"), "java.sql (which bcprov pulls in) in a ws://-only image: " + modules);

        // and it runs
        Process process = new ProcessBuilder(image.resolve("bin/java").toString(), "-m", "wsonly.app/app.Main")
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the image's app did not end");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("ws-only app listening on"), output);
    }

    private static Set<String> resolve(ModuleFinder finder, String root) {
        Configuration configuration = Configuration.resolve(ModuleFinder.ofSystem(), List.of(Configuration.empty()),
                finder, Set.of(root));
        return configuration.modules().stream().map(ResolvedModule::name).collect(Collectors.toSet());
    }
}
