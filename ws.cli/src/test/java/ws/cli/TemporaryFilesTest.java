package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ws echo --tls} writes its development certificate to a temporary folder for
 * {@code ws connect --ca}; SIGTERM (as Ctrl-C) removes the file and the folder. The tool runs as its
 * own process, from this test's module path, since only a real signal shows it.
 */
class TemporaryFilesTest {
    @Test
    void theDevelopmentCertificateFolderIsRemovedOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = System.getProperty("jdk.module.path");
        assertNotNull(modulePath, "the tests run on the module path");
        Process echo = new ProcessBuilder(java, "--module-path", modulePath, "--add-modules", "org.bouncycastle.pkix",
                "-m", "ws.cli/ws.cli.Main", "echo", "--tls", "--port", "0").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
            Path certificate = null;
            for (String line; (line = out.readLine()) != null && !line.startsWith("listening on "); ) {
                if (line.startsWith("certificate: ")) {
                    certificate = Path.of(line.substring("certificate: ".length()).split(" ")[0]);
                }
            }
            assertNotNull(certificate, "no certificate line");
            assertTrue(Files.isRegularFile(certificate), certificate.toString());
            echo.destroy(); // SIGTERM
            assertTrue(echo.waitFor(30, TimeUnit.SECONDS), "ws echo did not stop on SIGTERM");
            assertEquals(0, echo.exitValue());
            assertFalse(Files.exists(certificate), certificate + " is left behind");
            assertFalse(Files.exists(certificate.getParent()), certificate.getParent() + " is left behind");
        } finally {
            echo.destroyForcibly();
        }
    }
}
