package ws.benchmark.load;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load generator on its own, against a server that is already running:
 * <pre>
 * LoadMain --port P [--host 127.0.0.1] [--kind echo|broadcast|idle] [--connections N] [--size BYTES]
 *          [--binary] [--window W] [--warmup SECONDS] [--duration SECONDS] [--threads T] [--sources K]
 *          [--rate MESSAGES_PER_SECOND [--slices]] [--tls CERT.pem]
 * LoadMain --port P --wss full|resumed [--connections N] [--warmup SECONDS] [--duration SECONDS]
 * </pre>
 * With {@code --rate} an echo run sends on a fixed schedule (open loop, timed from the intended send
 * times) instead of keeping {@code --window} messages in flight, and also prints its stalls (the 100 ms
 * slices with an echo over 10 ms: how many connections were slow, how late the generator sent; see
 * {@code Stalls}; with {@code --slices} every slice). With {@code --tls} the connections speak
 * wss:// (TLS 1.3, an {@code SSLEngine} each), trusting only the certificates of that PEM file (the
 * server's own, as {@code ./bench/run} makes one), checked against {@code --host}.
 * Prints messages/s, MB/s and the latency percentiles (or, for idle, handshakes/s) and exits.
 * {@code ./bench/load} runs it with the benchmark's class path.
 */
public final class LoadMain {
    private LoadMain() {
    }

    /**
     * Runs one load.
     *
     * @param args see the class comment
     * @throws Exception when the load cannot run
     */
    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        LoadGenerator.Kind kind = LoadGenerator.Kind.ECHO;
        int connections = 100;
        int size = 64;
        boolean binary = false;
        int window = 16;
        double warmup = 2;
        double duration = 10;
        int threads = 2;
        int sourceCount = 16;
        double rate = 0;
        String wss = null;
        String tls = null;
        boolean everySlice = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--kind" -> kind = LoadGenerator.Kind.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--binary" -> binary = true;
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--duration" -> duration = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--sources" -> sourceCount = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--wss" -> wss = args[++i];
                case "--tls" -> tls = args[++i];
                case "--slices" -> everySlice = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port < 0) {
            throw new IllegalArgumentException("--port is required");
        }
        if (wss != null) {
            // wss:// handshakes per second, N clients at once (see TlsHandshakeLoad)
            double perSecond = new TlsHandshakeLoad(port, wss.equals("resumed")).run(connections,
                    (long) (warmup * 1000), (long) (duration * 1000));
            System.out.printf(Locale.ROOT, "%,.0f %s wss:// handshakes/s (%d clients)%n", perSecond, wss, connections);
            return;
        }
        List<InetAddress> sources = new ArrayList<>();
        boolean loopback = host.startsWith("127.");
        for (int i = 0; loopback && i < sourceCount; i++) {
            sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}));
        }
        LoadGenerator.Config config = new LoadGenerator.Config(host, port, connections, size, binary, window, kind,
                threads, sources, 512).withRate(rate).withTls(tls == null ? null : TlsWire.trusting(java.nio.file.Path.of(tls)));
        try (LoadGenerator generator = new LoadGenerator(config)) {
            LoadGenerator.OpenResult open = generator.open(180, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "opened %,d of %,d connections in %.2f s: %,.0f handshakes/s%s%n", open.opened(),
                    connections, open.nanos() / 1e9, open.handshakesPerSecond(),
                    open.firstError() == null ? "" : " (" + open.firstError() + ")");
            if (open.opened() == 0) {
                System.exit(1);
            }
            if (kind == LoadGenerator.Kind.IDLE) {
                Thread.sleep((long) (duration * 1000));
                return;
            }
            generator.start();
            Thread.sleep((long) (warmup * 1000));
            generator.measuring(true);
            LoadGenerator.Counters c0 = generator.counters();
            long[] each0 = generator.receivedPerConnection();
            Thread.sleep((long) (duration * 1000));
            LoadGenerator.Counters c1 = generator.counters();
            long[] each1 = generator.receivedPerConnection();
            generator.measuring(false);
            Histogram latencies = generator.latencies();
            double seconds = (c1.nanoTime() - c0.nanoTime()) / 1e9;
            System.out.printf(Locale.ROOT, "%,.0f msg/s, %.1f MB/s, latency p50 %,.0f us, p99 %,.0f us, p99.9 %,.0f us (%,d samples)%n",
                    (c1.messages() - c0.messages()) / seconds, (c1.bytes() - c0.bytes()) / seconds / 1e6,
                    latencies.percentileMicros(50), latencies.percentileMicros(99), latencies.percentileMicros(99.9),
                    latencies.count());
            Stalls stalls = rate > 0 ? generator.stalls() : null;
            if (stalls != null) {
                System.out.println(stalls.summary());
                for (Stalls.Slice slice : everySlice ? stalls.slices() : stalls.stalled()) {
                    System.out.println("  " + slice.line());
                }
            }
            if (each0.length == each1.length && each1.length > 0) {
                long[] share = new long[each1.length];
                for (int i = 0; i < share.length; i++) {
                    share[i] = each1[i] - each0[i];
                }
                java.util.Arrays.sort(share);
                double mean = java.util.Arrays.stream(share).average().orElse(0);
                System.out.printf(Locale.ROOT, "per connection (fairness): min %.2f, p10 %.2f, median %.2f, max %.2f of the mean (%,.0f messages)%n",
                        share[0] / mean, share[share.length / 10] / mean, share[share.length / 2] / mean,
                        share[share.length - 1] / mean, mean);
            }
        }
    }
}
