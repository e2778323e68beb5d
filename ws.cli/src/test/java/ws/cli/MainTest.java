package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a whole: help, and usage errors with exit status 2. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    @Test
    void helpPrintsUsageAndSucceeds() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: ws <command>"));
        assertEquals(0, run("echo", "-h"));
    }

    @ParameterizedTest(name = "{0} --help")
    @CsvSource({"echo,--tls", "broadcast,broadcast server", "connect,--insecure"})
    void eachCommandHasItsOwnHelp(String command, String own) {
        assertEquals(0, run(command, "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("usage: ws " + command + " "), help);
        assertTrue(help.contains(own) && help.contains("--verbose"), help);
        for (String other : List.of("echo [", "broadcast [", "connect URL")) {
            assertEquals(other.startsWith(command), help.contains(other), other + " in:\n" + help);
        }
    }

    @Test
    void aMissingCertificateFileIsNamed() {
        assertEquals(1, run("echo", "--port", "0", "--tls", "--cert", "/nonexistent/cert.pem", "--key", "/nonexistent/key.pem"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.startsWith("ws echo: ") && errors.contains("file not found: /nonexistent/"), errors);
    }

    @Test
    void anUnknownHostIsNamed() {
        assertEquals(1, run("connect", "ws://no-such-host.invalid/"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("cannot connect to ws://no-such-host.invalid/: unknown host"), errors);
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no command given"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bogus|unknown command \"bogus\"",
        "echo --port 70000|--port must be in 0..65535, got 70000",
        "echo --port x|--port must be a number, got \"x\"",
        "echo extra|echo takes no arguments",
        "echo --nope|unknown option --nope",
        "echo --transport nope|--transport: no transport named \"nope\"",
        "connect|connect needs exactly one URL, got 0 arguments",
        "connect ws://a ws://b|connect needs exactly one URL, got 2 arguments",
        "connect http://example.com/|the URL must start with ws:// or wss://",
        "connect ws://|not a URL",
        "connect ws://h/ --header NoColon|--header must look like 'Name: value'",
        "connect ws://h/ --header=Bad\tName:1|has a character not allowed in a token",
        "connect ws://h/ --port 1|unknown option --port",
    })
    void usageErrorsExitWith2(String line, String message) {
        assertEquals(2, run(line.split(" ")), err.toString(StandardCharsets.UTF_8));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains(message), errors);
        assertTrue(errors.contains("ws --help"), errors);
    }
}
