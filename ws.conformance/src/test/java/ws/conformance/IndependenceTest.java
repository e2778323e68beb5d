package ws.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite checks the engine independently: nothing but {@code ws.conformance.sdk} (the SDK as a
 * target) and {@code Main} (which starts it) may use the SDK's packages.
 */
class IndependenceTest {

    @Test
    void onlyTheTargetPackageAndMainUseTheSdk() throws IOException {
        Path src = Path.of("src/main/java/ws/conformance");
        assertTrue(Files.isDirectory(src), "run from the module directory: " + Path.of("").toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(src)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(src.resolve("sdk")) && !p.endsWith("Main.java"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("ws.protocol.");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders, "these files use the SDK's ws.protocol packages");
    }
}
