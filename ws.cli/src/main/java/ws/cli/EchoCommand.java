package ws.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.WebSocketServer;
import ws.protocol.spi.Transport;

/**
 * {@code ws echo}: a server that sends every message back, on every path. Built for conformance
 * suites and load tests: the default limits (16 MiB messages), keepalive pings but no idle
 * timeout, and a graceful shutdown (1001 to every client) on SIGINT or SIGTERM.
 */
final class EchoCommand {
    static final Set<String> VALUE_OPTIONS = Set.of("port", "host", "transport");
    static final Set<String> FLAG_OPTIONS = Set.of("no-extensions");
    private static final Logger LOG = LoggerFactory.getLogger(EchoCommand.class);
    /** How long the shutdown waits for clients to answer the 1001 before aborting them. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /**
     * Room for a few of the largest (16 MiB) messages in flight: above it, the echoing listener
     * waits for the client to read (it never fails a send).
     */
    static final long HIGH_WATER_MARK = 64L << 20;

    private final String host;
    private final int port;
    private final Transport transport;
    private final boolean extensions;

    EchoCommand(String host, int port, Transport transport, boolean extensions) {
        this.host = host;
        this.port = port;
        this.transport = transport;
        this.extensions = extensions;
    }

    static EchoCommand parse(List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, VALUE_OPTIONS, FLAG_OPTIONS);
        if (!line.positional().isEmpty()) {
            throw new UsageException("echo takes no arguments, got \"" + line.positional().get(0) + "\"");
        }
        int port = line.intValue("port", 8080, 0, 65535);
        String host = line.value("host", "127.0.0.1");
        if (host.isBlank()) {
            throw new UsageException("--host must not be empty");
        }
        return new EchoCommand(host, port, Choices.transport(line.value("transport", null)),
                !line.flag("no-extensions"));
    }

    /** Binds and starts the server; it runs until {@link WebSocketServer#shutdown} or close. */
    WebSocketServer start() throws IOException {
        return WebSocketServer.builder()
                .host(host)
                .port(port)
                .transport(transport)
                .route("/*", new EchoListener())
                .connection(options -> options
                        .withExtensions(Choices.extensions(extensions))
                        .withIdleTimeout(Duration.ZERO)
                        .withBackpressure(HIGH_WATER_MARK, BackpressurePolicy.WAIT))
                .start();
    }

    /**
     * Starts the server, prints {@code listening on ws://host:port/} once it accepts, then waits
     * until the JVM shuts down (Ctrl-C, SIGTERM), when a shutdown hook closes every connection
     * with 1001 and stops the server.
     */
    int run(PrintStream out) throws IOException, InterruptedException {
        WebSocketServer server = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ws-echo-shutdown").unstarted(() -> {
            try {
                server.shutdown(SHUTDOWN_GRACE).get(SHUTDOWN_GRACE.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown did not finish cleanly: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }));
        LOG.debug("echo server on transport {} with extensions {}", transport.name(),
                server.options().connection().extensions().stream().map(f -> f.name()).toList());
        out.println("listening on " + url(host, server.address()));
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code ws://host:port/}, with IPv6 literals in brackets. */
    static String url(String host, InetSocketAddress bound) {
        String shown = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return "ws://" + shown + ":" + bound.getPort() + "/";
    }
}
