package ws.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * jlink images as the build makes them: linked with the build's jlink options from the build's
 * module folder, finished by src/build/finish-image.sh (native symbol tables stripped), measured.
 */
final class Images {
    /** Megabytes as docs/tooling.md counts them: 10^6 bytes, every regular file of the image. */
    static final double MB = 1e6;

    private Images() {
    }

    /** Whether finish-image.sh can strip native symbols here (objcopy installed), as it did for the build's image. */
    static boolean stripped() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "objcopy")));
    }

    /** The size bound for an image: {@code stripped} MB, or 5 MB more (said loudly) without objcopy. */
    static double bound(double strippedMb) {
        if (stripped()) {
            return strippedMb;
        }
        System.out.println("!!! objcopy (Debian package binutils) is not installed: images keep their native symbol "
                + "tables; checking against " + (strippedMb + 5) + " MB instead of " + strippedMb + " MB");
        return strippedMb + 5;
    }

    /** The size of every regular file in the image, in bytes. */
    static long size(Path image) throws IOException {
        try (Stream<Path> files = Files.walk(image)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** The modules linked into the image (its release file). */
    static Set<String> modules(Path image) throws IOException {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(image.resolve("release"))) {
            release.load(in);
        }
        return Set.of(release.getProperty("MODULES").replace("\"", "").split(" "));
    }

    /** Links an image with the build's options, then finishes it as the build does. */
    static Path link(Path output, String modulePath, String addModules, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("ws.jdk"), "bin", "jlink").toString(),
                "--module-path", modulePath, "--add-modules", addModules));
        command.addAll(Arrays.asList(more));
        command.addAll(Arrays.asList(System.getProperty("ws.jlink.options").trim().split("\\s+")));
        command.addAll(List.of("--output", output.toString()));
        run(command);
        System.out.print(run(List.of("bash", System.getProperty("ws.image.finish"), output.toString())));
        return output;
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "did not end: " + command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** "name: 39.1 MB (modules: ...)". */
    static String describe(String name, Path image) throws IOException {
        return String.format("%s: %.1f MB (modules: %s)", name, size(image) / MB,
                modules(image).stream().sorted().collect(Collectors.joining(" ")));
    }
}
