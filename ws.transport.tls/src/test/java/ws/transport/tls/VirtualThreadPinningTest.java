package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.ServerMetrics;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.protocol.deflate.PerMessageDeflate;
import ws.transport.virtualthreads.VirtualThreadTransport;

/**
 * The virtual-thread transport never pins a carrier thread: under an echo load with many connections,
 * over TLS and in plain text, with permessage-deflate, keepalive pings and the close handshake, a JFR recording of {@code jdk.VirtualThreadPinned} (every pinning, no threshold) stays
 * empty. A virtual thread that blocks while pinned (in {@code synchronized} on Java 21, under a native
 * frame) holds one of the few carrier threads and stalls every other connection.
 */
class VirtualThreadPinningTest {
    private static final int CONNECTIONS_PER_SERVER = 60;
    private static final int MESSAGES = 12;

    @Test
    void anEchoLoadOverTlsAndDeflateNeverPinsACarrierThread() throws Exception {
        // first use loads and initialises classes, which the JVM does pinned (a class initialiser runs
        // with a native frame below it): the JVM's one-time cost, not the transport's; warm up first
        load(4);
        Path file = Files.createTempFile("ws-pinning", ".jfr");
        List<RecordedEvent> pinned;
        ServerMetrics tlsMetrics;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            // a running recording traces every new Throwable through a JDK class initialised by the first
            // one: made here, so that no connection's thread waits (pinned) for that initialisation
            new Exception("initialises the recorder's exception tracer");
            tlsMetrics = load(CONNECTIONS_PER_SERVER);
            recording.stop();
            recording.dump(file);
            pinned = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                    .filter(e -> !insideTheFlightRecorder(e)).toList();
        } finally {
            Files.deleteIfExists(file);
        }
        assertTrue(pinned.isEmpty(), pinned.size() + " pinned virtual threads:\n" + describe(pinned));
        assertEquals(CONNECTIONS_PER_SERVER, tlsMetrics.connectionsOpened());
        assertEquals(CONNECTIONS_PER_SERVER, tlsMetrics.connectionsClosed());
        assertEquals((long) CONNECTIONS_PER_SERVER * MESSAGES, tlsMetrics.messagesReceived());
    }

    /** Runs the load against a wss:// and a ws:// server; returns the wss:// server's metrics. */
    private static ServerMetrics load(int connections) throws Exception {
        Transport base = new VirtualThreadTransport();
        ConnectionOptions options = ConnectionOptions.defaults()
                .withExtensions(List.of(new PerMessageDeflate()))
                .withKeepAlive(Duration.ofMillis(200), Duration.ofSeconds(20))
                .withCloseTimeout(Duration.ofSeconds(10))
                .withHandshakeTimeout(Duration.ofSeconds(30));
        Transport tls = TlsTransport.server(LOCALHOST.serverConfig()).over(base);
        try (WebSocketServer secure = WebSocketServer.builder().route("/echo", new TlsSupport.Echo())
                     .connection(options).transport(tls).start();
             WebSocketServer plain = WebSocketServer.builder().route("/echo", new TlsSupport.Echo())
                     .connection(options).transport(base).start();
             WebSocketClient secureClient = WebSocketClient.builder().connection(options)
                     .transport(TlsTransport.client(LOCALHOST.clientConfig()).over(base)).build();
             WebSocketClient plainClient = WebSocketClient.builder().connection(options).transport(base).build();
             ExecutorService users = Executors.newVirtualThreadPerTaskExecutor()) {
            URI wss = URI.create("wss://127.0.0.1:" + secure.port() + "/echo");
            URI ws = URI.create("ws://127.0.0.1:" + plain.port() + "/echo");
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                long seed = i;
                runs.add(users.submit(() -> {
                    converse(secureClient, wss, seed);
                    return null;
                }));
                runs.add(users.submit(() -> {
                    converse(plainClient, ws, seed);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((secure.metrics().openConnections() > 0 || plain.metrics().openConnections() > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return secure.metrics();
        }
    }

    /** One user: connect, echo text (compressible) and binary (random) messages, close. */
    private static void converse(WebSocketClient client, URI uri, long seed) throws Exception {
        TlsSupport.Inbox inbox = new TlsSupport.Inbox();
        WebSocket ws = client.connect(uri, inbox).get(60, TimeUnit.SECONDS);
        Random random = new Random(seed);
        for (int i = 0; i < MESSAGES; i++) {
            if (i % 2 == 0) {
                String text = ("message " + i + " of connection " + seed + " ").repeat(1 + random.nextInt(200));
                ws.sendText(text);
                assertEquals(text, inbox.next());
            } else {
                byte[] data = new byte[1 + random.nextInt(48 << 10)];
                random.nextBytes(data);
                ws.sendBinary(ByteBuffer.wrap(data));
                assertArrayEquals(data, (byte[]) inbox.next());
            }
        }
        // a ping and its pong each way (the server's keepalive pings when the connection idles 200 ms): so
        // the warm-up has loaded their classes too, which the JVM does pinned on a virtual thread (a CI run
        // caught two servers' first ping pinned 5 ms in the measured load, waiting for that loading)
        ws.ping(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})).get(60, TimeUnit.SECONDS);
        CompletableFuture<ws.protocol.CloseStatus> closed = ws.close(CloseCodes.NORMAL_CLOSURE, "done");
        assertEquals(CloseCodes.NORMAL_CLOSURE, closed.get(60, TimeUnit.SECONDS).code());
    }

    /**
     * A pinning inside the flight recorder's own code, a cost of the recording that watches for pinning,
     * not of the transport; seen once in many runs: a frame of {@code jdk.jfr.internal} or of the JDK's
     * event tracers ({@code jdk.internal.event}) on the stack, or an event's {@code commit} on top (the
     * recorder sets up each thread's event writer in native code at the thread's first commit, so a
     * connection's first event, such as the transport's own "opened", may pin for a millisecond).
     */
    private static boolean insideTheFlightRecorder(RecordedEvent event) {
        if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
            return false;
        }
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        return committingAnEvent(frames.get(0)) || frames.stream()
                .anyMatch(frame -> frame.getMethod().getType().getName().startsWith("jdk.jfr.internal.")
                        || frame.getMethod().getType().getName().startsWith("jdk.internal.event."));
    }

    /** Whether {@code frame} is the {@code commit} of a flight recorder event class. */
    private static boolean committingAnEvent(RecordedFrame frame) {
        if (!frame.getMethod().getName().equals("commit")) {
            return false;
        }
        try {
            Class<?> type = Class.forName(frame.getMethod().getType().getName(), false,
                    VirtualThreadPinningTest.class.getClassLoader());
            return jdk.jfr.Event.class.isAssignableFrom(type);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String describe(List<RecordedEvent> events) {
        StringBuilder text = new StringBuilder();
        for (RecordedEvent event : events.subList(0, Math.min(10, events.size()))) {
            text.append("pinned for ").append(event.getDuration()).append(" on ")
                    .append(event.getThread() == null ? "?" : event.getThread().getJavaName()).append('\n');
            if (event.getStackTrace() != null) {
                for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                    text.append("    at ").append(frame.getMethod().getType().getName()).append('.')
                            .append(frame.getMethod().getName()).append(':').append(frame.getLineNumber()).append('\n');
                }
            }
        }
        return text.toString();
    }
}
