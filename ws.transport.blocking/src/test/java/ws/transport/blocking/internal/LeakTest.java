package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;

/** Nothing leaks: 1,000 connections killed in the middle of a frame leave no thread and no descriptor behind. */
class LeakTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";
    private static final int CONNECTIONS = 1000;
    private static final int BATCH = 100;

    /**
     * Platform threads, not counting the virtual-thread scheduler's carriers (a pool that grows and
     * shrinks on its own), nor a server's connection threads waiting for their next connection
     * (they serve nothing, end after a while on their own, and all end when the server stops).
     */
    static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getClass().getName().equals("jdk.internal.misc.CarrierThread"))
                .filter(t -> !t.getName().equals("ws-connection-waiting"))
                .filter(t -> !t.getName().startsWith("ForkJoinPool"))
                .filter(t -> !t.getName().startsWith("process reaper"))
                .count();
    }

    /**
     * The process's open sockets (descriptors whose link reads {@code socket:[...]}), or -1 where
     * /proc is missing. Sockets, not every descriptor: the JVM opens descriptors of its own lazily
     * (a module's jar when its first class loads, the virtual-thread scheduler's epoll pollers on
     * first use), and those are no connection's leak.
     */
    static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        return descriptors().stream().filter(link -> link.startsWith("socket:")).count();
    }

    /** What each open descriptor links to (for the failure message). */
    static List<String> descriptors() throws IOException {
        List<String> links = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : list.toList()) {
                try {
                    links.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // the directory's own descriptor, or one closed since the listing
                }
            }
        }
        return links;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void connectionsKilledMidFrameLeaveNothingBehind(Transport transport) throws Exception {
        Recorder listener = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/leak", listener).start()) {
            ws.transport.stream.StreamServer socketServer = (ws.transport.stream.StreamServer) server;
            // warm up: one connection through its whole life, so lazily created threads exist
            try (RawClient raw = new RawClient(server.port())) {
                raw.upgrade("/leak");
            }
            awaitQuiet(socketServer);
            long threadsBefore = platformThreads();
            long socketsBefore = openSockets();
            List<String> descriptorsBefore = socketsBefore >= 0 ? descriptors() : List.of();
            byte[] request = RawClient.upgradeRequest("/leak").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] halfFrame = java.util.Arrays.copyOf(RawClient.frame(true, 2, new byte[1000], true), 300);
            for (int done = 0; done < CONNECTIONS; done += BATCH) {
                List<RawClient> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    RawClient raw = new RawClient(server.port());
                    raw.send(request);
                    batch.add(raw);
                }
                for (RawClient raw : batch) {
                    raw.readHead();
                    raw.send(halfFrame);
                }
                for (int i = 0; i < batch.size(); i++) {
                    Socket socket = batch.get(i).socket;
                    if (i % 2 == 0) {
                        socket.setSoLinger(true, 0); // reset
                    }
                    socket.close();
                }
            }
            awaitQuiet(socketServer);
            assertEquals(0, server.connectionCount());
            assertEquals(CONNECTIONS + 1, listener.events.stream().filter(e -> e instanceof Recorder.Open).count());
            // a connection leaves the live set before its listener's onClose runs: wait for the callbacks
            long deadline = System.nanoTime() + Support.WAIT.toNanos();
            while (listener.closes.get() < CONNECTIONS + 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(CONNECTIONS + 1, listener.closes.get());
            deadline = System.nanoTime() + Support.WAIT.toNanos();
            while ((platformThreads() > threadsBefore || openSockets() > socketsBefore) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(platformThreads() <= threadsBefore, "threads: " + threadsBefore + " before, " + platformThreads() + " after");
            if (socketsBefore >= 0) {
                assertTrue(openSockets() <= socketsBefore, "sockets: " + socketsBefore + " before, " + openSockets()
                        + " after; descriptors before " + descriptorsBefore + ", after " + descriptors());
            }
        }
    }

    private static void awaitQuiet(ws.transport.stream.StreamServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Support.WAIT.toNanos();
        while (server.liveCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.liveCount(), "connections still running");
    }
}
