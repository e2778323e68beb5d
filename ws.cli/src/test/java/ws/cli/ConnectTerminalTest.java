package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * {@code ws connect} on a real terminal: the tool runs in its own JVM inside a detached tmux session
 * of 100x30 cells, keys are typed with {@code tmux send-keys} and the screen is read with
 * {@code tmux capture-pane}, against an echo server in this JVM. Every wait polls the screen up to a
 * generous deadline. Without tmux this fails (skipped only with {@code WS_INTEROP_OPTIONAL=1}), like
 * the other peers; {@code .ci/peers} installs it.
 */
class ConnectTerminalTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String ESC = "\u001b[";

    @TempDir
    Path dir;
    private WebSocketServer server;
    /** A tmux server of this test alone ({@code tmux -L}), so that no user's sessions or settings meet it. */
    private String socket;

    @BeforeEach
    void start() throws Exception {
        requireTmux();
        server = WebSocketServer.builder().port(0).transport(Transport.defaultTransport())
                .route("/", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }
                })
                .start();
        socket = "ws-connect-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        // remain-on-exit: the screen stays readable after the tool ended
        Files.writeString(dir.resolve("tmux.conf"), "set -g remain-on-exit on\nset -g history-limit 2000\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (socket != null) {
            tmux(List.of("kill-server"), false);
        }
        if (server != null) {
            server.close();
        }
    }

    private static void requireTmux() {
        if (Stream.of("/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux").anyMatch(p -> Files.isExecutable(Path.of(p)))) {
            return;
        }
        if (!"1".equals(System.getenv("WS_INTEROP_OPTIONAL"))) {
            Assertions.fail("tmux is missing (apt-get install tmux); run .ci/peers (or set WS_INTEROP_OPTIONAL=1 to skip)");
        }
        Assumptions.abort("tmux is missing (WS_INTEROP_OPTIONAL=1)");
    }

    @Test
    void linesAreEditedWithHistoryAndJsonIsIndentedInColour() throws Exception {
        startTool("env -u NO_COLOR");
        type("hello", "Enter");
        awaitScreen("the echo", screen -> screen.contains("\n< hello\n"));

        type("{\"user\":\"ann\",\"tags\":[\"a\",1.50]}", "Enter");
        awaitScreen("the JSON echo indented, its continuation lines under its first character", screen -> screen.contains("""
                < {
                    "user": "ann",
                    "tags": [
                      "a",
                      1.50
                    ]
                  }
                """));

        // history: Up twice recalls "hello", sent again
        type("Up", "Up");
        awaitScreen("\"hello\" recalled by Up", screen -> lastLine(screen).equals("> hello"));
        type("Enter");
        awaitScreen("the recalled line echoed", screen -> count(screen, "\n< hello\n") == 2);

        // editing: Left inserts before the cursor; Ctrl-A and Ctrl-E jump to the ends of the line
        type("ac", "Left", "b", "C-a", "[", "C-e", "]", "Enter");
        awaitScreen("the edited line echoed", screen -> screen.contains("\n< [abc]\n"));

        String coloured = capture(true);
        assertTrue(coloured.contains(ESC + "32m< [abc]"), "a received message in green:\n" + coloured);
        assertTrue(coloured.contains(ESC + "36m> [abc]") || coloured.contains(ESC + "36m>"), "what was typed in cyan:\n" + coloured);
        assertTrue(coloured.contains(ESC + "2m* connected to"), "connection details dimmed:\n" + coloured);

        type("C-d");
        awaitScreen("the close", screen -> screen.contains("* closed: 1000 normal closure"));
        assertEquals(0, exitStatus());
    }

    @Test
    void noColorLeavesNoEscapeSequenceOnTheScreen() throws Exception {
        startTool("env NO_COLOR=1");
        type("{\"k\":\"v\"}", "Enter");
        awaitScreen("the JSON echo indented", screen -> screen.contains("< {\n    \"k\": \"v\"\n  }\n"));
        type("C-d");
        awaitScreen("the close", screen -> screen.contains("* closed: 1000"));
        String withAttributes = capture(true);
        assertFalse(withAttributes.contains(ESC), "no colour or attribute with NO_COLOR:\n" + withAttributes);
        assertEquals(0, exitStatus());
    }

    /** Starts {@code ws connect} in the tmux session and waits for its prompt. */
    private void startTool(String environment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = System.getProperty("jdk.module.path");
        assertTrue(modulePath != null && !modulePath.isEmpty(), "the tests run on the module path");
        String command = environment + " LANG=C.UTF-8 " + quote(java) + " --module-path " + quote(modulePath)
                + " --module ws.cli/ws.cli.Main connect ws://127.0.0.1:" + server.port() + "/; echo \"[exit $?]\"";
        tmux(List.of("-f", dir.resolve("tmux.conf").toString(), "new-session", "-d", "-s", "ws", "-x", "100", "-y", "30",
                command), true);
        awaitScreen("the prompt", screen -> screen.contains("* connected to ws://127.0.0.1:") && lastLine(screen).equals(">"));
    }

    private void type(String... keys) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("send-keys", "-t", "ws"));
        for (String key : keys) {
            arguments.add(key);
        }
        tmux(arguments, true);
    }

    /** Polls the screen until {@code done} holds; fails with the last screen after {@link #DEADLINE}. */
    private void awaitScreen(String what, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String screen;
        do {
            screen = capture(false);
            if (done.test(screen)) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        Assertions.fail("not on the screen after " + DEADLINE.toSeconds() + " s: " + what + "\n---\n" + screen + "\n---");
    }

    /** The visible screen, trailing blank lines dropped; with escape sequences for colours and attributes if asked. */
    private String capture(boolean attributes) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("capture-pane", "-p", "-t", "ws"));
        if (attributes) {
            arguments.add("-e");
        }
        return tmux(arguments, true).stripTrailing() + "\n";
    }

    /** The tool's exit status, once it has exited: the shell of the pane prints it after the tool. */
    private int exitStatus() throws Exception {
        java.util.regex.Pattern exit = java.util.regex.Pattern.compile("\\n\\[exit (\\d+)]\\n");
        awaitScreen("the tool's exit status", screen -> exit.matcher(screen).find());
        java.util.regex.Matcher status = exit.matcher(capture(false));
        assertTrue(status.find());
        return Integer.parseInt(status.group(1));
    }

    private String tmux(List<String> arguments, boolean check) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "tmux did not answer: " + command);
        if (check && process.exitValue() != 0) {
            Assertions.fail("tmux failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
        return output;
    }

    private static String lastLine(String screen) {
        List<String> lines = screen.stripTrailing().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast().stripTrailing();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
