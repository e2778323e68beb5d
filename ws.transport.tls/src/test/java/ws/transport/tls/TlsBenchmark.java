package ws.transport.tls;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.BlockingTransport;
import ws.transport.virtualthreads.VirtualThreadTransport;

/**
 * wss:// against ws:// in one run, on both transports: the opening-handshake rate (TCP connect, TLS
 * handshake, WebSocket upgrade, close) and echo throughput over one connection. Prints, never
 * asserts. Its name does not end in {@code Test}, so {@code ./mvnw verify} does not run it (nor count
 * it as skipped); run it by name:
 *
 * <pre>
 * ./mvnw -B -q -pl ws.transport.tls -am verify -Dtest=TlsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class TlsBenchmark {
    private static final int CONNECT_THREADS = 4;
    private static final Duration CONNECT_RUN = Duration.ofSeconds(Long.getLong("ws.bench.seconds", 5));
    private static final int[] SIZES = {128, 16 << 10};
    private static final long ECHO_BYTES = 256L << 20;

    private static ConnectionOptions options() {
        return ConnectionOptions.defaults().withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))
                .withHandshakeTimeout(Duration.ofSeconds(30)).withBackpressure(64L << 20, ws.protocol.api.BackpressurePolicy.WAIT);
    }

    private record Setup(String name, Transport server, Transport client, String scheme) {
    }

    private static List<Setup> setups() {
        List<Setup> setups = new ArrayList<>();
        for (Transport base : List.of(new BlockingTransport(), new VirtualThreadTransport())) {
            setups.add(new Setup(base.name() + " ws", base, base, "ws"));
            setups.add(new Setup(base.name() + " wss", TlsTransport.server(TlsSupport.LOCALHOST.serverConfig()).over(base),
                    TlsTransport.client(TlsSupport.LOCALHOST.clientConfig()).over(base), "wss"));
        }
        return setups;
    }

    @Test
    void handshakesAndEchoThroughput() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "%-15s %14s %14s %14s %14s %14s%n", "setup", "handshakes/s",
                "128 B msg/s", "128 B MB/s", "16 KiB msg/s", "16 KiB MB/s"));
        // a warm-up pass over every setup, then the measured pass
        for (int pass = 0; pass < 2; pass++) {
            for (Setup setup : setups()) {
                double handshakes = handshakeRate(setup, pass == 0 ? Duration.ofSeconds(1) : CONNECT_RUN);
                List<double[]> echoes = new ArrayList<>();
                for (int size : SIZES) {
                    echoes.add(echo(setup, size, pass == 0 ? ECHO_BYTES / 16 : ECHO_BYTES));
                }
                if (pass == 1) {
                    report.append(String.format(Locale.ROOT, "%-15s %14.0f %14.0f %14.1f %14.0f %14.1f%n", setup.name(),
                            handshakes, echoes.get(0)[0], echoes.get(0)[1], echoes.get(1)[0], echoes.get(1)[1]));
                }
            }
        }
        System.out.println("\n" + report);
    }

    /** Open and close connections from several threads for {@code run}: opened connections per second. */
    private static double handshakeRate(Setup setup, Duration run) throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().route("/", new WebSocketListener() { })
                .connection(options()).transport(setup.server()).start();
             WebSocketClient client = WebSocketClient.builder().connection(options()).transport(setup.client()).build()) {
            URI uri = URI.create(setup.scheme() + "://localhost:" + server.port() + "/");
            AtomicLong opened = new AtomicLong();
            long end = System.nanoTime() + run.toNanos();
            long start = System.nanoTime();
            try (ExecutorService threads = Executors.newFixedThreadPool(CONNECT_THREADS)) {
                List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < CONNECT_THREADS; i++) {
                    workers.add(threads.submit(() -> {
                        while (System.nanoTime() < end) {
                            WebSocket ws = client.connect(uri, new WebSocketListener() { }).get(30, TimeUnit.SECONDS);
                            opened.incrementAndGet();
                            ws.close().get(30, TimeUnit.SECONDS);
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            }
            return opened.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Sends {@code total} bytes in messages of {@code size} over one connection, pipelined: [messages/s, MB/s] echoed. */
    private static double[] echo(Setup setup, int size, long total) throws Exception {
        int count = (int) (total / size);
        try (WebSocketServer server = WebSocketServer.builder().route("/", new TlsSupport.Echo())
                .connection(options()).transport(setup.server()).start();
             WebSocketClient client = WebSocketClient.builder().connection(options()).transport(setup.client()).build()) {
            CountDownLatch received = new CountDownLatch(count);
            WebSocket ws = client.connect(URI.create(setup.scheme() + "://localhost:" + server.port() + "/"),
                    new WebSocketListener() {
                        @Override
                        public void onBinary(WebSocket webSocket, ByteBuffer data) {
                            received.countDown();
                        }
                    }).get(30, TimeUnit.SECONDS);
            byte[] payload = new byte[size];
            long start = System.nanoTime();
            CompletableFuture<Void> last = null;
            for (int i = 0; i < count; i++) {
                last = ws.sendBinary(ByteBuffer.wrap(payload));
            }
            last.get(120, TimeUnit.SECONDS);
            if (!received.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError(setup.name() + ": echoes missing: " + received.getCount());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ws.close().get(30, TimeUnit.SECONDS);
            return new double[] {count / seconds, (double) count * size / seconds / 1e6};
        }
    }
}
