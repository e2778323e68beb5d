package ws.conformance;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import ws.conformance.cases.Catalogue;
import ws.conformance.cases.ConformanceCase;
import ws.conformance.cases.Timing;
import ws.conformance.sdk.SdkTargets;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocketServer;

/**
 * The command line:
 * <pre>
 * client ws://127.0.0.1:9001/ [options]                 test a server (fuzzing client)
 * server [--port P] [options] -- command ... {url} ...  test a client (fuzzing server); the command is
 *                                                      started once per case ({url} is replaced, or appended)
 * self [--transport blocking|virtual|eventloop|all] [options]     test this SDK in-process, both modes
 * list                                                  list the cases
 * options: --cases 1.*,6.4.* --exclude 9.* --agent NAME --report FILE.json --scale 0.3 --repeat N
 *          --min-kill-ms MS --messages N --quiet
 * </pre>
 * The exit status is 0 when no case failed, 1 when some did, 2 on a usage error.
 */
public final class Main {
    private Main() {
    }

    /** Runs the command line; exits with the status. */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            err.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        List<String> clientCommand = List.of();
        int dashes = rest.indexOf("--");
        if (dashes >= 0) {
            clientCommand = List.copyOf(rest.subList(dashes + 1, rest.size()));
            rest = new ArrayList<>(rest.subList(0, dashes));
        }
        Options o;
        try {
            o = Options.parse(rest);
        } catch (IllegalArgumentException e) {
            err.println("conformance: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        if (o.minKillMs < 0) {
            // A client process started per case runs its first frames on a cold JVM: give it 2 s
            // before a kill timer counts its silence as a failure (Autobahn's clients are warm).
            o.minKillMs = command.equals("server") ? 2000 : 0;
        }
        List<ConformanceCase> selected = Catalogue.select(o.cases, o.exclude, o.messages);
        List<ConformanceCase> cases = new ArrayList<>();
        for (int i = 0; i < o.repeat; i++) {
            cases.addAll(selected);
        }
        PrintStream progress = o.quiet ? null : out;
        switch (command) {
            case "list" -> {
                for (ConformanceCase c : cases) {
                    out.println(c.id() + (c.extra() ? " [extra]" : "") + "  " + c.description());
                }
                out.println(cases.size() + " cases");
                return 0;
            }
            case "client" -> {
                if (o.positional.size() != 1) {
                    err.println("conformance: client needs one ws:// URL");
                    return 2;
                }
                URI target = URI.create(o.positional.get(0));
                try (Mode mode = new ClientMode(target, o.timing())) {
                    return finish(Suite.run(cases, mode, o.agent("server"), progress), o, "client", out);
                }
            }
            case "server" -> {
                if (clientCommand.isEmpty()) {
                    err.println("conformance: server needs the client command after --");
                    return 2;
                }
                File log = new File(o.reportDir(), "client-" + o.agent("client") + ".log");
                try (ServerMode mode = new ServerMode(o.port, ClientLauncher.command(clientCommand, log), o.timing(),
                        o.agent("client"), 20_000)) {
                    out.println("conformance: listening on port " + mode.port() + "; client output in " + log);
                    return finish(Suite.run(cases, mode, o.agent("client"), progress), o, "server", out);
                }
            }
            case "self" -> {
                List<String> transports = o.transport.equals("all") ? List.of("blocking", "virtual", "eventloop")
                        : List.of(o.transport);
                int status = 0;
                UnaryOperator<ConnectionOptions> same = c -> c;
                for (String t : transports) {
                    // the server accepts permessage-deflate (groups 12, 13); the client offers it by default
                    try (WebSocketServer server = SdkTargets.startEchoServer(t, SdkTargets.DEFLATE);
                         Mode mode = new ClientMode(URI.create("ws://127.0.0.1:" + server.port() + "/"), o.timing())) {
                        status |= finish(Suite.run(cases, mode, "ws-server-" + t, progress), o, "client-" + t, out);
                    }
                    try (ServerMode mode = new ServerMode(0, SdkTargets.echoClients(t, same), o.timing(),
                            "ws-client-" + t, 10_000)) {
                        status |= finish(Suite.run(cases, mode, "ws-client-" + t, progress), o, "server-" + t, out);
                    }
                }
                return status;
            }
            default -> {
                err.println("conformance: unknown command \"" + command + "\"");
                err.println(usage());
                return 2;
            }
        }
    }

    private static int finish(Report report, Options o, String modeName, PrintStream out) throws IOException {
        out.println();
        out.print(report.table());
        Path json = o.report != null && !o.report.isEmpty() ? Path.of(o.report.replace("{mode}", modeName))
                : new File(o.reportDir(), "conformance-" + modeName + "-" + report.agent() + ".json").toPath();
        report.writeJson(json);
        out.println("report: " + json);
        return report.failed().isEmpty() ? 0 : 1;
    }

    static String usage() {
        return """
                usage: conformance client ws://HOST:PORT/PATH [options]
                       conformance server [--port P] [options] -- CLIENT-COMMAND ... {url} ...
                       conformance self [--transport blocking|virtual|eventloop|all] [options]
                       conformance list [--cases ...]
                options: --cases 1.*,2.1  --exclude 9.*  --agent NAME  --report FILE.json ({mode} is replaced)
                         --scale F (multiply every case wait; 1 = Autobahn's timings)
                         --repeat N (run the selection N times, to catch flaky cases)  --quiet
                         --min-kill-ms MS (least time before a kill timer fires; default 2000 in
                           server mode, where each case starts a fresh client process, else 0)
                         --messages N (groups 12, 13: at most N messages per case instead of 1000)""";
    }

    /** Parsed options. */
    static final class Options {
        List<String> cases = List.of();
        List<String> exclude = List.of();
        List<String> positional = new ArrayList<>();
        String agent;
        String report;
        String transport = "all";
        double scale = 1.0;
        int port = 0;
        int repeat = 1;
        int messages = 0;
        long minKillMs = -1;
        boolean quiet;

        static Options parse(List<String> args) {
            Options o = new Options();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--cases" -> o.cases = split(value(args, ++i, a));
                    case "--exclude" -> o.exclude = split(value(args, ++i, a));
                    case "--agent" -> o.agent = value(args, ++i, a);
                    case "--report" -> o.report = value(args, ++i, a);
                    case "--transport" -> o.transport = value(args, ++i, a);
                    case "--scale" -> o.scale = Double.parseDouble(value(args, ++i, a));
                    case "--port" -> o.port = Integer.parseInt(value(args, ++i, a));
                    case "--quiet" -> o.quiet = true;
                    case "--repeat" -> o.repeat = Integer.parseInt(value(args, ++i, a));
                    case "--min-kill-ms" -> o.minKillMs = Long.parseLong(value(args, ++i, a));
                    case "--messages" -> o.messages = Integer.parseInt(value(args, ++i, a));
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        o.positional.add(a);
                    }
                }
            }
            return o;
        }

        Timing timing() {
            return Timing.AUTOBAHN.scaled(scale).withMinKillMs(minKillMs);
        }

        String agent(String fallback) {
            return agent != null ? agent : fallback;
        }

        File reportDir() {
            return new File("target/conformance");
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        private static List<String> split(String s) {
            return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        }
    }
}
