package ws.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the {@code ws} tool: {@code ws echo} (an echo server), {@code ws broadcast},
 * {@code ws chat} (the chat demo) and {@code ws connect URL} (an interactive client). Run {@code ws --help} for the options.
 */
public final class Main {
    /** Exit status of a command line that cannot be run. */
    static final int USAGE = 2;

    private Main() {
    }

    /**
     * Runs the tool and exits with its status: 0 success, 1 failure, 2 usage error.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.in, System.out, System.err, Tty.interactive()));
    }

    /**
     * Runs one command line; returns the exit status.
     *
     * @param terminal {@code in} and {@code out} are the process's terminal: {@code ws connect} edits
     *                 lines and colours its output
     */
    static int run(List<String> args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        List<String> rest = new ArrayList<>();
        boolean verbose = false;
        boolean help = false;
        boolean optionsEnded = false;
        for (String arg : args) {
            if (!optionsEnded && (arg.equals("--verbose") || arg.equals("-v"))) {
                verbose = true;
            } else if (!optionsEnded && (arg.equals("--help") || arg.equals("-h"))) {
                help = true;
            } else {
                optionsEnded |= arg.equals("--");
                rest.add(arg);
            }
        }
        if (help) {
            out.print(rest.isEmpty() ? Usage.TEXT : Usage.of(rest.get(0)));
            out.flush();
            return 0;
        }
        Logging.configure(verbose);
        if (rest.isEmpty()) {
            return usageError(err, "no command given");
        }
        String command = rest.get(0);
        List<String> options = rest.subList(1, rest.size());
        try {
            switch (command) {
                case "echo" -> {
                    EchoCommand echo = EchoCommand.parse(options);
                    Signals.exitZeroOnInterrupt();
                    return echo.run(out);
                }
                case "broadcast" -> {
                    BroadcastCommand broadcast = BroadcastCommand.parse(options);
                    Signals.exitZeroOnInterrupt();
                    return broadcast.run(out);
                }
                case "chat" -> {
                    ChatCommand chat = ChatCommand.parse(options);
                    Signals.exitZeroOnInterrupt();
                    return chat.run(out);
                }
                case "connect" -> {
                    return ConnectCommand.parse(options).run(in, out, err, verbose, terminal);
                }
                default -> {
                    return usageError(err, "unknown command \"" + command + "\"");
                }
            }
        } catch (UsageException e) {
            return usageError(err, e.getMessage());
        } catch (java.io.IOException | IllegalStateException e) {
            err.println("ws " + command + ": " + Errors.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int usageError(PrintStream err, String message) {
        err.println("ws: " + message);
        err.println("run 'ws --help' for the commands and options");
        err.flush();
        return USAGE;
    }
}
