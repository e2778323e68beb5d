package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.WebSocketServer;
import ws.transport.tls.DevCertificate;

/** {@code ws echo --tls} and {@code ws connect wss://... [--ca FILE | --insecure]}, in process. */
class TlsCommandsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int connect(String stdin, String... args) throws Exception {
        return ConnectCommand.parse(List.of(args)).run(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void echoWithADevelopmentCertificateAndConnectInsecure(String transport) throws Exception {
        EchoCommand echo = EchoCommand.parse(List.of("--port", "0", "--tls", "--transport", transport));
        try (WebSocketServer server = echo.start()) {
            assertEquals(0, connect("hello tls\n", "wss://localhost:" + server.port() + "/", "--insecure",
                    "--transport", transport), err.toString());
            assertTrue(out.toString().contains("< hello tls"), out.toString());
            assertTrue(err.toString().contains("* connected to wss://localhost:" + server.port()), err.toString());
        }
    }

    @Test
    void echoWithPemFilesAndConnectWithTheCa() throws Exception {
        DevCertificate certificate = DevCertificate.create();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate.writePem(cert, key);
        EchoCommand echo = EchoCommand.parse(List.of("--port", "0", "--tls", "--cert", cert.toString(),
                "--key", key.toString()));
        try (WebSocketServer server = echo.start()) {
            assertEquals("wss://127.0.0.1:" + server.port() + "/", ServerCommand.url("127.0.0.1", server.address(), true));
            assertEquals(0, connect("via ca\n", "wss://localhost:" + server.port() + "/", "--ca", cert.toString()),
                    err.toString());
            assertTrue(out.toString().contains("< via ca"), out.toString());
        }
    }

    @Test
    void connectWithTheSystemTrustStoreRefusesADevelopmentCertificateAndSaysWhy() throws Exception {
        EchoCommand echo = EchoCommand.parse(List.of("--port", "0", "--tls"));
        try (WebSocketServer server = echo.start()) {
            assertEquals(1, connect("", "wss://localhost:" + server.port() + "/"));
            assertTrue(err.toString().contains("certificate is not trusted"), err.toString());
        }
    }

    @Test
    void usageErrors() {
        UsageException keyOnly = assertThrows(UsageException.class,
                () -> EchoCommand.parse(List.of("--tls", "--key", "k.pem")));
        assertTrue(keyOnly.getMessage().contains("--key needs --cert"), keyOnly.getMessage());
        UsageException noTls = assertThrows(UsageException.class,
                () -> EchoCommand.parse(List.of("--cert", "c.pem", "--key", "k.pem")));
        assertTrue(noTls.getMessage().contains("need --tls"), noTls.getMessage());
        UsageException both = assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("wss://localhost/", "--ca", "x.pem", "--insecure")));
        assertTrue(both.getMessage().contains("exclude each other"), both.getMessage());
        UsageException unreadable = assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("wss://localhost/", "--ca", dir.resolve("missing.pem").toString())));
        assertTrue(unreadable.getMessage().contains("cannot read"), unreadable.getMessage());
        UsageException plain = assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("ws://localhost/", "--insecure")));
        assertTrue(plain.getMessage().contains("are for wss:// URLs"), plain.getMessage());
    }
}
