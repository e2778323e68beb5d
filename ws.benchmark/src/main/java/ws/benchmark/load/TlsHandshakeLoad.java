package ws.benchmark.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opening wss:// connections as fast as a few clients can: TCP connect, TLS handshake (the JDK's TLS,
 * TLS 1.3), the WebSocket upgrade request, its 101 response, close; each client does one after the
 * other, {@code clients} of them at once (virtual threads). Full handshakes give every connection a
 * name of its own (so the client's session cache never resumes one); resumed ones reuse each
 * client's session (TLS 1.3 PSK, from the server's session ticket or its cache). The certificate is
 * not checked (a benchmark's self-signed one); no SNI is sent.
 */
final class TlsHandshakeLoad {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    /** Handshakes a measured window counts at least, if it can within three times its length. */
    private static final int MIN_COUNTED = 16;

    private final int port;
    private final boolean resume;
    private final SSLSocketFactory factory;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong names = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final byte[] request;

    TlsHandshakeLoad(int port, boolean resume) throws Exception {
        this.port = port;
        this.resume = resume;
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        this.factory = context.getSocketFactory();
        this.request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Runs {@code clients} clients for {@code warmupMillis}, then counts for {@code measureMillis}
     * (longer when that counted fewer than 16, up to three times as long): handshakes/s.
     */
    double run(int clients, long warmupMillis, long measureMillis) throws Exception {
        return run(clients, warmupMillis, measureMillis, () -> 0).perSecond();
    }

    /**
     * What a measured window gave: handshakes per second, and the server's CPU time per handshake in
     * nanoseconds (NaN when none was counted).
     */
    record Window(double perSecond, double cpuNanosPerHandshake) {
    }

    /** As {@link #run(int, long, long)}, reading the server's CPU time ({@code cpuNanos}) at both ends of the window. */
    Window run(int clients, long warmupMillis, long measureMillis, CpuClock cpuNanos) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String host = "client-" + i;
            threads.add(Thread.ofVirtual().start(() -> loop(host)));
        }
        try {
            Thread.sleep(warmupMillis);
            long n0 = done.get();
            long c0 = cpuNanos.nanos();
            long t0 = System.nanoTime();
            Thread.sleep(measureMillis);
            // a window too short to count a few handshakes (a busy machine: one can take seconds) is
            // stretched, up to three times its length, until it has counted MIN_COUNTED
            long stretch = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * measureMillis);
            while (done.get() - n0 < MIN_COUNTED && System.nanoTime() < stretch) {
                Thread.sleep(20);
            }
            long n1 = done.get();
            long c1 = cpuNanos.nanos();
            long t1 = System.nanoTime();
            if (n1 == n0 && failure.get() != null) {
                throw new IOException("no wss:// connection opened: " + failure.get(), failure.get());
            }
            return new Window((n1 - n0) / ((t1 - t0) / 1e9), n1 == n0 ? Double.NaN : (c1 - c0) / (double) (n1 - n0));
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    /** The server process's CPU time so far, in nanoseconds. */
    @FunctionalInterface
    interface CpuClock {
        long nanos() throws IOException;
    }

    private void loop(String host) {
        while (running.get()) {
            // a full handshake needs a session name the client never used: its cache is keyed by it
            String name = resume ? host : host + "-" + names.incrementAndGet();
            try (Socket tcp = new Socket()) {
                tcp.setTcpNoDelay(true);
                tcp.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                tcp.setSoTimeout(10_000);
                try (SSLSocket ssl = (SSLSocket) factory.createSocket(tcp, name, port, true)) {
                    SSLParameters parameters = ssl.getSSLParameters();
                    parameters.setProtocols(new String[] {"TLSv1.3"});
                    parameters.setServerNames(List.of());
                    ssl.setSSLParameters(parameters);
                    ssl.startHandshake();
                    ssl.getOutputStream().write(request);
                    ssl.getOutputStream().flush();
                    readHead(ssl.getInputStream());
                }
                done.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        byte[] head = new byte[1024];
        int n = 0;
        while (true) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                throw new IOException("closed before the 101 response ended");
            }
            n += r;
            for (int i = 0; i + 3 < n; i++) {
                if (head[i] == HEAD_END[0] && head[i + 1] == HEAD_END[1] && head[i + 2] == HEAD_END[2] && head[i + 3] == HEAD_END[3]) {
                    String status = new String(head, 0, Math.min(12, n), StandardCharsets.ISO_8859_1);
                    if (!status.startsWith("HTTP/1.1 101")) {
                        throw new IOException("upgrade refused: " + status);
                    }
                    return;
                }
            }
            if (n == head.length) {
                throw new IOException("101 response head over " + head.length + " bytes");
            }
        }
    }

    /** Trusts any certificate: the benchmark's servers present a self-signed one made for the run. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
