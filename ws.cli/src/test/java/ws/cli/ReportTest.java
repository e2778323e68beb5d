package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;

/** What ws connect prints for each event: for a person (plain and on a terminal) and for a script (--json). */
class ReportTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Screen screen = Screen.of(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void outsideATerminalEveryMessageIsOnePlainLineAsBefore() {
        Report report = new HumanReport(screen, Palette.NONE, false, false, false);
        report.text("{\"a\":[1,2]}");
        report.text("hello");
        report.binary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        report.ping(ByteBuffer.allocate(2));
        report.error("cannot send: broken pipe");
        report.closed(new CloseStatus(1000, "bye"));
        assertEquals("< {\"a\":[1,2]}\n< hello\n< [binary 3 bytes] 01 02 03\n", out());
        assertEquals("* cannot send: broken pipe\n* closed: 1000 normal closure \"bye\"\n", err());
    }

    @Test
    void onATerminalJsonIsIndentedUnderItsFirstCharacterAndColoured() {
        Report report = new HumanReport(screen, new Palette(true), true, true, false);
        report.text("{\"a\":[1]}");
        report.text("plain {not json");
        String green = "\033[32m";
        String reset = "\033[0m";
        assertEquals(green + "< {" + reset + "\n"
                + green + "    \"a\": [" + reset + "\n"
                + green + "      1" + reset + "\n"
                + green + "    ]" + reset + "\n"
                + green + "  }" + reset + "\n"
                + green + "< plain {not json" + reset + "\n", out());
        report.error("error: boom");
        report.closed(new CloseStatus(1001, ""));
        assertEquals("\033[31m* error: boom" + reset + "\n\033[33m* closed: 1001 going away" + reset + "\n", err());
    }

    @Test
    void rawKeepsJsonAsItCameOnATerminal() {
        new HumanReport(screen, Palette.NONE, true, false, false).text("{\"a\":1}");
        assertEquals("< {\"a\":1}\n", out());
    }

    @Test
    void onATerminalControlCharactersAreShownNotObeyedAndLinesAlign() {
        Report report = new HumanReport(screen, Palette.NONE, true, true, false);
        report.text("\033]0;owned\007\033[2Jtitle\rover\u009b\u007f\nsecond\tline");
        assertEquals("< ^[]0;owned^G^[[2Jtitle^Mover<U+009B>^?\n  second\tline\n", out());
    }

    @Test
    void outsideATerminalTheTextIsPrintedExactlyAsItCame() {
        new HumanReport(screen, Palette.NONE, false, true, false).text("a\033[31m\nb");
        assertEquals("< a\033[31m\nb\n", out());
    }

    @Test
    void pingsAndPongsAreShownOnlyWhenVerbose() {
        new HumanReport(screen, Palette.NONE, false, false, false).pong(ByteBuffer.allocate(3));
        assertEquals("", err());
        new HumanReport(screen, Palette.NONE, false, false, true).pong(ByteBuffer.allocate(3));
        assertEquals("* pong received (3 bytes)\n", err());
    }

    @Test
    void jsonLinesHaveStableFieldsOneEventALine() {
        Report report = new JsonReport(screen);
        report.text("say \"hi\"\nagain ✓");
        report.binary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        report.ping(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)));
        report.pong(ByteBuffer.allocate(0));
        report.error("error: boom");
        report.cannotConnect(URI.create("ws://h:1/p"), "connection refused");
        report.closed(new CloseStatus(1000, "done"));
        report.closed(new CloseStatus(1006, "", new java.io.EOFException("the peer hung up")));
        assertEquals("""
                {"event":"message","type":"text","data":"say \\"hi\\"\\nagain ✓"}
                {"event":"message","type":"binary","data":"AQID"}
                {"event":"ping","data":"aGk="}
                {"event":"pong","data":""}
                {"event":"error","message":"error: boom"}
                {"event":"error","message":"cannot connect to ws://h:1/p: connection refused"}
                {"event":"close","code":1000,"reason":"done","error":null}
                {"event":"close","code":1006,"reason":"","error":"the peer hung up"}
                """, out());
        assertEquals("", err(), "--json leaves standard error to the logs");
    }

    @Test
    void reconnectionsAreLinesForAPersonAndEventsForAScript() {
        Report human = new HumanReport(screen, Palette.NONE, false, false, false);
        human.reconnecting(2, java.time.Duration.ofMillis(1250), "connection refused");
        human.reconnected(URI.create("ws://h:1/p"), 2);
        human.gaveUp(5);
        assertEquals("""
                * reconnecting in 1.3 s (attempt 2): connection refused
                * reconnected to ws://h:1/p after 2 attempts
                * gave up after 5 attempts
                """, err());
        assertEquals("", out());
        Report json = new JsonReport(screen);
        json.reconnecting(1, java.time.Duration.ofMillis(730), "connection refused");
        json.reconnected(URI.create("ws://h:1/p"), 1);
        json.gaveUp(5);
        assertEquals("""
                {"event":"reconnecting","attempt":1,"delayMillis":730,"cause":"connection refused"}
                {"event":"reconnected","url":"ws://h:1/p","attempts":1}
                {"event":"gave-up","attempts":5}
                """, out());
    }

    @Test
    void jsonDoesNotMoveTheBuffers() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2});
        new JsonReport(screen).binary(data);
        assertEquals(0, data.position());
    }

    @Test
    void noColorOrADumbTerminalTurnsColoursOff() {
        assertTrue(Palette.forTerminal(Map.of("TERM", "xterm-256color")).enabled());
        assertTrue(Palette.forTerminal(Map.of("NO_COLOR", "")).enabled(), "no-color.org: an empty value does not count");
        assertFalse(Palette.forTerminal(Map.of("NO_COLOR", "1")).enabled());
        assertFalse(Palette.forTerminal(Map.of("NO_COLOR", "0")).enabled(), "any value counts");
        assertFalse(Palette.forTerminal(Map.of("TERM", "dumb")).enabled());
        assertEquals("x", Palette.NONE.received("x"));
    }
}
