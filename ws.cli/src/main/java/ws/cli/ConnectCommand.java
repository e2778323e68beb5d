package ws.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.HttpProxy;
import ws.protocol.api.ProxyResolver;
import ws.protocol.api.Reconnect;
import ws.protocol.api.ReconnectingWebSocket;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.transport.tls.TlsClientConfig;
import ws.transport.tls.TlsTransport;

/**
 * {@code ws connect URL}: an interactive client. Each line of standard input is sent as a text
 * message; what arrives is printed. With {@code --echo}, standard input is ignored and every
 * message is sent back unchanged. Exits 0 after an orderly close (1000 or 1001), 1 otherwise.
 * Like every client built with the library's defaults it offers permessage-deflate ({@code --deflate}
 * says so explicitly, {@code --no-extensions} offers nothing). {@code --proxy URL} tunnels through an
 * HTTP proxy, {@code --proxy-from-env} follows {@code HTTPS_PROXY}/{@code NO_PROXY}, {@code --no-proxy}
 * connects directly; otherwise the JVM's proxy settings apply. {@code --reconnect} connects again,
 * with backoff, whenever the connection is lost (the library's {@code ReconnectingWebSocket}, its
 * default policy), reporting each attempt ({@link ConsoleListener}); {@code --ping SECONDS} sends a
 * keepalive ping after that many seconds without traffic and drops a connection whose pong does not come.
 *
 * <p>On a terminal, lines are typed in a {@link LineEditor} (history, editing), messages that are JSON
 * objects or arrays are indented ({@code --raw}: as they came) and the output is coloured (not with
 * {@code NO_COLOR}). Elsewhere (a pipe, a script) the input and output are plain lines.
 * {@code --json} prints every event as one JSON object a line ({@link JsonReport}).
 */
final class ConnectCommand {
    static final Set<String> VALUE_OPTIONS = Set.of("transport", "header", "subprotocol", "ca", "proxy", "ping");
    static final Set<String> FLAG_OPTIONS = Set.of("echo", "deflate", "no-extensions", "insecure", "proxy-from-env",
            "no-proxy", "raw", "json", "reconnect");
    /** How long a close we started may take before we give up waiting. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final URI uri;
    private final boolean echo;
    private final boolean raw;
    private final boolean json;
    private final ClientOptions.Builder client;
    /** The reconnect policy of {@code --reconnect}, or null. */
    private final Reconnect reconnect;

    private ConnectCommand(URI uri, CommandLine line, ClientOptions.Builder client) {
        this.uri = uri;
        this.echo = line.flag("echo");
        this.raw = line.flag("raw");
        this.json = line.flag("json");
        this.client = client;
        this.reconnect = line.flag("reconnect") ? Reconnect.defaults() : null;
    }

    static ConnectCommand parse(List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, VALUE_OPTIONS, FLAG_OPTIONS);
        if (line.positional().size() != 1) {
            throw new UsageException("connect needs exactly one URL, got " + line.positional().size() + " arguments");
        }
        URI uri = parseUri(line.positional().get(0));
        ClientOptions.Builder client = WebSocketClient.builder();
        for (String header : line.all("header")) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new UsageException("--header must look like 'Name: value', got \"" + header + "\"");
            }
            try {
                client.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--header \"" + header + "\": " + e.getMessage());
            }
        }
        for (String subprotocol : line.all("subprotocol")) {
            client.subprotocols(subprotocol);
        }
        client.proxy(proxy(line));
        Duration ping = ping(line.value("ping", null));
        if (ping != null) {
            client.connection(options -> options.withKeepAlive(ping, options.pongTimeout()));
        }
        if (line.flag("deflate") && line.flag("no-extensions")) {
            throw new UsageException("--deflate and --no-extensions contradict each other");
        }
        // last: the syntax errors above are reported even where no transport is installed
        Transport transport = Choices.transport(line.value("transport", null));
        TlsClientConfig tls = tls(line);
        if (tls != null && !uri.getScheme().equalsIgnoreCase("wss")) {
            throw new UsageException("--ca and --insecure are for wss:// URLs, got \"" + uri + "\"");
        }
        client.transport(tls == null ? transport : TlsTransport.client(tls).over(transport))
                .connection(options -> options.withExtensions(Choices.extensions(!line.flag("no-extensions"))));
        return new ConnectCommand(uri, line, client);
    }

    /** {@code --ping SECONDS}: the keepalive interval (0: no pings), or null when not given. */
    private static Duration ping(String seconds) throws UsageException {
        if (seconds == null) {
            return null;
        }
        try {
            Duration interval = Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
            if (interval.isNegative() || !Double.isFinite(Double.parseDouble(seconds))) {
                throw new NumberFormatException();
            }
            return interval;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--ping needs a number of seconds >= 0, got \"" + seconds + "\"");
        }
    }

    /**
     * {@code --proxy URL} (that HTTP proxy), {@code --proxy-from-env} ({@code HTTPS_PROXY},
     * {@code HTTP_PROXY}, {@code NO_PROXY}), {@code --no-proxy}; else the JVM's proxy selector
     * (the {@code http(s).proxyHost} properties), as the library's default.
     */
    private static ProxyResolver proxy(CommandLine line) throws UsageException {
        String url = line.value("proxy", null);
        int chosen = (url != null ? 1 : 0) + (line.flag("proxy-from-env") ? 1 : 0) + (line.flag("no-proxy") ? 1 : 0);
        if (chosen > 1) {
            throw new UsageException("--proxy, --proxy-from-env and --no-proxy exclude each other");
        }
        if (url != null) {
            try {
                return HttpProxy.of(url);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--proxy: " + e.getMessage());
            }
        }
        if (line.flag("proxy-from-env")) {
            return ProxyResolver.environment();
        }
        return line.flag("no-proxy") ? ProxyResolver.direct() : ProxyResolver.system();
    }

    /**
     * {@code --ca FILE} (trust exactly the CA certificates of a PEM file) or {@code --insecure} (trust
     * any server: development only); {@code null} without either, when wss:// uses the system's
     * trust store.
     */
    private static TlsClientConfig tls(CommandLine line) throws UsageException {
        String ca = line.value("ca", null);
        boolean insecure = line.flag("insecure");
        if (ca != null && insecure) {
            throw new UsageException("--ca and --insecure exclude each other");
        }
        if (ca != null) {
            java.nio.file.Path file = java.nio.file.Path.of(ca);
            if (!java.nio.file.Files.isReadable(file)) {
                throw new UsageException("--ca: cannot read " + ca);
            }
            return TlsClientConfig.trusting(file);
        }
        return insecure ? TlsClientConfig.insecure() : null;
    }

    static URI parseUri(String text) throws UsageException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new UsageException("the URL must start with ws:// or wss://, got \"" + text + "\"");
        }
        if (uri.getHost() == null) {
            throw new UsageException("the URL has no host: \"" + text + "\"");
        }
        return uri;
    }

    /**
     * Connects, runs until the connection is over, and returns the exit status.
     *
     * @param terminal standard input and output are a terminal ({@link Tty#interactive()}): lines are
     *                 typed in the {@link LineEditor}, JSON messages indented, colours on (unless
     *                 {@code NO_COLOR}); otherwise one plain line a message, as a script expects
     */
    int run(InputStream in, PrintStream out, PrintStream err, boolean verbose, boolean terminal) throws InterruptedException {
        Palette palette = terminal && !json ? Palette.forTerminal(System.getenv()) : Palette.NONE;
        Screen plain = Screen.of(out, err);
        LineEditor editor = terminal && !echo ? LineEditor.openOrNull(palette, plain) : null;
        Screen screen = editor != null ? editor : plain;
        Report report = json ? new JsonReport(screen) : new HumanReport(screen, palette, terminal, !raw, verbose);
        String mode = echo ? "echoing every message"
                : editor != null ? "type messages; Ctrl-D to close" : "type messages; end input to close";
        try {
            return run(editor != null ? editor : LineSource.of(in), report, new ConsoleListener(report, uri, mode, echo));
        } finally {
            if (editor != null) {
                editor.close();
            }
        }
    }

    private int run(LineSource lines, Report report, ConsoleListener listener) throws InterruptedException {
        WebSocketClient built;
        try {
            built = client.build();
        } catch (IllegalArgumentException e) {
            report.cannotConnect(uri, e.getMessage());
            return 1;
        }
        try (WebSocketClient webSocketClient = built) {
            WebSocket webSocket;
            try {
                webSocket = reconnect == null ? webSocketClient.connect(uri, listener).get()
                        : webSocketClient.connectReconnecting(uri, listener, reconnect).firstOpen().get();
            } catch (ExecutionException | IllegalArgumentException e) {
                // IllegalArgumentException: a URI this transport cannot serve (wss:// without TLS)
                report.cannotConnect(uri, Errors.describe(e));
                return 1;
            }
            Thread closer = Thread.ofPlatform().name("ws-connect-closer").unstarted(() -> closeIfOpen(webSocket));
            Runtime.getRuntime().addShutdownHook(closer);
            if (!echo) {
                Thread.ofPlatform().daemon().name("ws-connect-input").start(() -> sendLines(lines, webSocket, report));
            }
            CloseStatus status = webSocket.closeFuture().join();
            removeHook(closer);
            return status.isNormal() ? 0 : 1;
        }
    }

    /** Sends each line as a text message; at the end of input closes with 1000. */
    private static void sendLines(LineSource lines, WebSocket webSocket, Report report) {
        try {
            String line;
            while ((line = lines.next()) != null) {
                try {
                    webSocket.sendText(line).join();
                } catch (java.util.concurrent.CompletionException notSent) {
                    if (!(webSocket instanceof ReconnectingWebSocket) || webSocket.closeFuture().isDone()) {
                        throw notSent;
                    }
                    // reconnecting: this line is lost (its connection dropped, or the queue is full); go on
                    report.error("not sent: " + Errors.describe(notSent));
                }
            }
        } catch (Exception e) {
            // the connection closed under us, or standard input failed: either way, we are done
            if (webSocket.closeFuture().isDone()) {
                return;
            }
            report.error("cannot send: " + Errors.describe(e));
        }
        closeIfOpen(webSocket);
    }

    private static void closeIfOpen(WebSocket webSocket) {
        if (webSocket.closeFuture().isDone()) {
            return;
        }
        try {
            webSocket.close(CloseCodes.NORMAL_CLOSURE, "").get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) {
            // already closing
        } catch (ExecutionException | TimeoutException e) {
            webSocket.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs and finds the connection closed
        }
    }
}
