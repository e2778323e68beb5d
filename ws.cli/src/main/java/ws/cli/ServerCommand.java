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
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.tls.DevCertificate;
import ws.transport.tls.TlsServerConfig;
import ws.transport.tls.TlsTransport;

/**
 * What the server commands ({@code ws echo}, {@code ws broadcast}) share, so that they take the
 * same options and behave alike: the address, the transport, permessage-deflate only with
 * {@code --deflate} (like every server built with the library's defaults), wss:// with
 * {@code --tls}; 16 MiB messages, keepalive pings but no idle timeout; a high-water mark and a
 * backpressure policy ({@code --high-water}, {@code --backpressure}); and a graceful shutdown
 * (1001 to every client) on SIGINT or SIGTERM.
 */
final class ServerCommand {
    static final Set<String> VALUE_OPTIONS = Set.of("port", "host", "transport", "cert", "key", "high-water", "backpressure");
    static final Set<String> FLAG_OPTIONS = Set.of("deflate", "no-extensions", "tls");
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);
    /** How long the shutdown waits for clients to answer the 1001 before aborting them. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /**
     * The default high-water mark: room for a few of the largest (16 MiB) messages in flight; above
     * it, under the default policy ({@link BackpressurePolicy#WAIT}), a listener's send waits for the
     * client to read (a broadcast skips that client instead: it never waits for one).
     */
    static final long HIGH_WATER_MARK = 64L << 20;

    private final String name;
    private final String host;
    private final int port;
    private final Transport transport;
    private final boolean extensions;
    /** wss://: the server's TLS set-up, or {@code null} for ws://. */
    private final Tls tls;
    private final long highWaterMark;
    private final BackpressurePolicy backpressure;

    private ServerCommand(String name, String host, int port, Transport transport, boolean extensions, Tls tls,
                          long highWaterMark, BackpressurePolicy backpressure) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.transport = transport;
        this.extensions = extensions;
        this.tls = tls;
        this.highWaterMark = highWaterMark;
        this.backpressure = backpressure;
    }

    /**
     * TLS for a server: the given PEM files, or a development certificate made on the spot.
     *
     * @param config      the server's TLS configuration
     * @param development the development certificate when no files were given, else {@code null}
     */
    record Tls(TlsServerConfig config, DevCertificate development) {
    }

    /** The options of server command {@code name} ("echo", "broadcast"). */
    static ServerCommand parse(String name, List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, VALUE_OPTIONS, FLAG_OPTIONS);
        if (!line.positional().isEmpty()) {
            throw new UsageException(name + " takes no arguments, got \"" + line.positional().get(0) + "\"");
        }
        int port = line.intValue("port", 8080, 0, 65535);
        String host = line.value("host", "127.0.0.1");
        if (host.isBlank()) {
            throw new UsageException("--host must not be empty");
        }
        if (line.flag("deflate") && line.flag("no-extensions")) {
            throw new UsageException("--deflate and --no-extensions contradict each other");
        }
        return new ServerCommand(name, host, port, Choices.transport(line.value("transport", null)),
                line.flag("deflate"), tls(line), line.intValue("high-water", (int) HIGH_WATER_MARK, 1, Integer.MAX_VALUE),
                backpressure(line.value("backpressure", null)));
    }

    /** {@code --backpressure wait|fail|close}: what a send does above the high-water mark (default wait). */
    private static BackpressurePolicy backpressure(String name) throws UsageException {
        if (name == null) {
            return BackpressurePolicy.WAIT;
        }
        for (BackpressurePolicy policy : BackpressurePolicy.values()) {
            if (policy.name().equalsIgnoreCase(name)) {
                return policy;
            }
        }
        throw new UsageException("--backpressure must be wait, fail or close, got \"" + name + "\"");
    }

    /** {@code --tls} with {@code --cert} and {@code --key} (PEM files), or {@code --tls} alone: a development certificate. */
    private static Tls tls(CommandLine line) throws UsageException {
        String cert = line.value("cert", null);
        String key = line.value("key", null);
        if ((cert == null) != (key == null)) {
            throw new UsageException(cert == null ? "--key needs --cert (the certificate chain, PEM)"
                    : "--cert needs --key (the private key, PEM)");
        }
        if (!line.flag("tls")) {
            if (cert != null) {
                throw new UsageException("--cert and --key need --tls");
            }
            return null;
        }
        if (cert != null) {
            return new Tls(TlsServerConfig.pem(java.nio.file.Path.of(cert), java.nio.file.Path.of(key)), null);
        }
        DevCertificate development;
        try {
            development = DevCertificate.create();
        } catch (IllegalStateException noBouncyCastle) {
            throw new IllegalStateException("--tls alone makes a development certificate, which needs BouncyCastle, "
                    + "and this ws has none (the jlink image leaves it out): give --cert FILE --key FILE (PEM), "
                    + "or run ./ws from the repository", noBouncyCastle);
        }
        return new Tls(development.serverConfig(), development);
    }

    /** Binds and starts a server with {@code listener} on every path; it runs until shutdown or close. */
    WebSocketServer start(WebSocketListener listener) throws IOException {
        return WebSocketServer.builder()
                .host(host)
                .port(port)
                .transport(tls == null ? transport : TlsTransport.server(tls.config()).over(transport))
                .route("/*", listener)
                .connection(options -> options
                        .withExtensions(Choices.extensions(extensions))
                        .withIdleTimeout(Duration.ZERO)
                        .withBackpressure(highWaterMark, backpressure))
                .start();
    }

    /**
     * Prints {@code listening on ws://host:port/} (after the development certificate, if any), then
     * waits until the JVM shuts down (Ctrl-C, SIGTERM), when a shutdown hook closes every connection
     * with 1001 and stops the server.
     */
    int run(WebSocketServer server, PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ws-" + name + "-shutdown").unstarted(() -> {
            try {
                server.shutdown(SHUTDOWN_GRACE).get(SHUTDOWN_GRACE.toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown did not finish cleanly: {}", e.toString());
            } finally {
                stopped.countDown();
            }
        }));
        LOG.debug("{} server on transport {} with extensions {}", name, transport.name(),
                server.options().connection().extensions().stream().map(f -> f.name()).toList());
        if (tls != null && tls.development() != null) {
            printDevelopmentCertificate(tls.development(), server.port(), out);
        }
        out.println("listening on " + url(host, server.address(), tls != null));
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code ws://host:port/} or {@code wss://host:port/}, with IPv6 literals in brackets. */
    static String url(String host, InetSocketAddress bound, boolean secure) {
        String shown = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return (secure ? "wss://" : "ws://") + shown + ":" + bound.getPort() + "/";
    }

    /**
     * Says which development certificate the server presents (its SHA-256 fingerprint, to compare
     * with what a client sees) and writes it to a temporary PEM file for {@code ws connect --ca}.
     */
    private static void printDevelopmentCertificate(DevCertificate development, int port, PrintStream out) {
        out.println("TLS with a self-signed development certificate for localhost, 127.0.0.1 and ::1");
        out.println("SHA-256 fingerprint: " + development.sha256Fingerprint());
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ws-dev-tls");
            // deleted at exit (SIGTERM and Ctrl-C included: they exit through System.exit) in the
            // reverse order of registration: the file, then its folder
            dir.toFile().deleteOnExit();
            java.nio.file.Path cert = dir.resolve("cert.pem");
            cert.toFile().deleteOnExit();
            java.nio.file.Files.writeString(cert, development.certificatePem());
            out.println("certificate: " + cert + " (ws connect wss://localhost:" + port + "/ --ca " + cert + ")");
        } catch (IOException e) {
            LOG.debug("cannot write the development certificate: {}", e.toString());
        }
    }
}
