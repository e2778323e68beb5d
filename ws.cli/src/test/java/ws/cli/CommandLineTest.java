package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static CommandLine parse(String... args) throws UsageException {
        return CommandLine.parse(List.of(args), Set.of("port", "header"), Set.of("echo"));
    }

    @Test
    void optionsBeforeAndAfterPositionals() throws UsageException {
        CommandLine line = parse("--port", "80", "ws://a", "--echo", "--header=A: b", "--header", "C: d");
        assertEquals(List.of("ws://a"), line.positional());
        assertEquals("80", line.value("port", null));
        assertTrue(line.flag("echo"));
        assertEquals(List.of("A: b", "C: d"), line.all("header"));
    }

    @Test
    void absentOptionsFallBack() throws UsageException {
        CommandLine line = parse();
        assertEquals("x", line.value("port", "x"));
        assertEquals(8080, line.intValue("port", 8080, 0, 65535));
        assertFalse(line.flag("echo"));
        assertEquals(List.of(), line.all("header"));
    }

    @Test
    void doubleDashEndsOptions() throws UsageException {
        CommandLine line = parse("--", "--echo", "-x");
        assertEquals(List.of("--echo", "-x"), line.positional());
        assertFalse(line.flag("echo"));
    }

    @Test
    void singleDashArgumentsArePositional() throws UsageException {
        assertEquals(List.of("-"), parse("-").positional());
    }

    @Test
    void unknownOptionIsAUsageError() {
        UsageException error = assertThrows(UsageException.class, () -> parse("--nope"));
        assertEquals("unknown option --nope", error.getMessage());
    }

    @Test
    void missingValueIsAUsageError() {
        UsageException error = assertThrows(UsageException.class, () -> parse("--port"));
        assertEquals("option --port needs a value", error.getMessage());
    }

    @Test
    void flagWithValueIsAUsageError() {
        assertThrows(UsageException.class, () -> parse("--echo=yes"));
    }

    @Test
    void singleValuedOptionGivenTwiceIsAUsageError() throws UsageException {
        CommandLine line = parse("--port", "1", "--port", "2");
        UsageException error = assertThrows(UsageException.class, () -> line.value("port", null));
        assertEquals("option --port given 2 times", error.getMessage());
    }

    @Test
    void integersAreCheckedForFormAndRange() throws UsageException {
        assertEquals(0, parse("--port", "0").intValue("port", 8080, 0, 65535));
        assertEquals(65535, parse("--port", "65535").intValue("port", 8080, 0, 65535));
        UsageException range = assertThrows(UsageException.class,
                () -> parse("--port", "65536").intValue("port", 8080, 0, 65535));
        assertEquals("--port must be in 0..65535, got 65536", range.getMessage());
        UsageException form = assertThrows(UsageException.class,
                () -> parse("--port", "http").intValue("port", 8080, 0, 65535));
        assertEquals("--port must be a number, got \"http\"", form.getMessage());
    }
}
