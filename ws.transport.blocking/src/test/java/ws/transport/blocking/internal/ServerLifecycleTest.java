package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.PreparedMessage;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.BlockingTransport;

/** Registry, broadcast, graceful shutdown and taking over sockets accepted elsewhere. */
class ServerLifecycleTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void broadcastReachesEveryoneTheFilterAccepts(Transport transport) throws Exception {
        Recorder serverSide = new Recorder();
        try (WebSocketServer server = Support.server(transport).route("/b", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            List<Recorder> recorders = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                sockets.add(client.connect(Support.uri(server, "/b?n=" + i), recorder).get(30, TimeUnit.SECONDS));
            }
            while (server.connectionCount() < 3) {
                Thread.sleep(5);
            }
            server.broadcast(PreparedMessage.text("to all"));
            for (Recorder recorder : recorders) {
                assertEquals("to all", recorder.nextOf(Recorder.Text.class).text());
            }
            server.broadcast(PreparedMessage.binary(ByteBuffer.wrap(new byte[] {1, 2})),
                    ws -> !ws.request().target().endsWith("n=1"));
            assertEquals(2, recorders.get(0).nextOf(Recorder.Binary.class).bytes().length);
            assertEquals(2, recorders.get(2).nextOf(Recorder.Binary.class).bytes().length);
            sockets.get(1).sendText("marker");
            assertEquals(0, recorders.get(1).events.stream().filter(e -> e instanceof Recorder.Binary).count());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void aStalledClientNeitherBlocksTheBroadcasterNorTheOthers(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withBackpressure(128 << 10, BackpressurePolicy.WAIT))
                .route("/b", new Recorder()).start();
             WebSocketClient client = Support.client(transport).build();
             RawClient stalled = new RawClient(server.port(), 8192)) {
            assertEquals(101, RawClient.status(stalled.upgrade("/b")));
            Recorder healthy = new Recorder();
            client.connect(Support.uri(server, "/b"), healthy).get(30, TimeUnit.SECONDS);
            while (server.connectionCount() < 2) {
                Thread.sleep(5);
            }
            PreparedMessage message = PreparedMessage.binary(ByteBuffer.allocate(32 << 10));
            // 300 x 32 KiB is far beyond the stalled client's socket buffers and its high-water mark:
            // broadcasts that waited for the stalled client would not end within the deadline, which
            // is generous: no single call is timed (a loaded machine stretches any one of them)
            assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
                for (int i = 0; i < 300; i++) {
                    server.broadcast(message);
                    healthy.nextOf(Recorder.Binary.class);
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void gracefulShutdownSends1001AndEndsEverything(Transport transport) throws Exception {
        WebSocketServer server = Support.server(transport).route("/s", Recorder.echo()).start();
        List<Recorder> recorders = new ArrayList<>();
        try (WebSocketClient client = Support.client(transport).build()) {
            for (int i = 0; i < 3; i++) {
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                client.connect(Support.uri(server, "/s"), recorder).get(30, TimeUnit.SECONDS);
            }
            server.shutdown(Duration.ofSeconds(2)).get(10, TimeUnit.SECONDS);
            for (Recorder recorder : recorders) {
                assertEquals(1001, recorder.awaitClose().code());
            }
            assertEquals(0, server.connectionCount());
            assertEquals(0, ((ws.transport.stream.StreamServer) server).liveCount());
            Recorder late = new Recorder();
            assertThrows(ExecutionException.class,
                    () -> client.connect(Support.uri(server, "/s"), late).get(30, TimeUnit.SECONDS));
        }
        server.close(); // idempotent
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void shutdownAbortsWhatDoesNotCloseWithinTheGrace(Transport transport) throws Exception {
        WebSocketServer server = Support.server(transport).route("/s", new Recorder()).start();
        try (RawClient raw = new RawClient(server.port())) {
            assertEquals(101, RawClient.status(raw.upgrade("/s")));
            while (server.connectionCount() < 1) {
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            server.shutdown(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
            assertEquals(1001, raw.readClose().closeCode());
            assertTrue(raw.closedWithin(Duration.ofSeconds(5)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void handleUpgradeTakesOverAPlainSocket(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).port(-1).route("/h", Recorder.echo()).start();
             ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             WebSocketClient client = Support.client(transport).build()) {
            assertEquals(-1, server.port());
            Thread.ofVirtual().start(() -> {
                try {
                    Socket socket = listener.accept();
                    InputStream in = socket.getInputStream();
                    byte[] first = in.readNBytes(4); // "GET ": what a dispatcher reads to decide
                    BlockingTransport.handleUpgrade(server, socket, ByteBuffer.wrap(first));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Recorder recorder = new Recorder();
            WebSocket ws = client.connect(java.net.URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/h"), recorder)
                    .get(30, TimeUnit.SECONDS);
            ws.sendText("via handleUpgrade");
            assertEquals("via handleUpgrade", recorder.nextOf(Recorder.Text.class).text());
            assertEquals(1, server.connectionCount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void handleUpgradeTakesOverAChannelSocket(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).port(-1).route("/h", Recorder.echo()).start();
             ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             WebSocketClient client = Support.client(transport).build()) {
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            Thread.ofVirtual().start(() -> {
                try {
                    SocketChannel channel = listener.accept();
                    channel.configureBlocking(false); // as a selector-based dispatcher would leave it
                    BlockingTransport.handleUpgrade(server, channel.socket(), ByteBuffer.allocate(0));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Recorder recorder = new Recorder();
            WebSocket ws = client.connect(java.net.URI.create("ws://127.0.0.1:" + port + "/h"), recorder).get(30, TimeUnit.SECONDS);
            ws.sendBinary(ByteBuffer.wrap(new byte[100_000]));
            assertEquals(100_000, recorder.nextOf(Recorder.Binary.class).bytes().length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void shutdownAbortsHandshakesInProgressAndRefusesTakeOvers(Transport transport) throws Exception {
        // the handshake timeout, the close timeout and the grace far beyond the wait: only the shutdown
        // aborting the handshake can end it in time (not a timer running out)
        Duration never = Duration.ofMinutes(5);
        WebSocketServer server = Support.server(transport)
                .connection(Support.fast().withHandshakeTimeout(never).withCloseTimeout(never))
                .route("/s", new Recorder()).start();
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("GET /s HTTP/1.1\r\nHost: x\r\n"); // half a request
            while (((ws.transport.stream.StreamServer) server).liveCount() < 1) {
                Thread.sleep(5);
            }
            server.shutdown(never).get(Support.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(raw.closedWithin(Duration.ofSeconds(2)));
            assertEquals(0, ((ws.transport.stream.StreamServer) server).liveCount());
        }
        try (Socket socket = new Socket()) {
            assertThrows(IllegalStateException.class, () -> BlockingTransport.handleUpgrade(server, socket, ByteBuffer.allocate(0)));
            assertTrue(socket.isClosed(), "a refused socket is closed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void theRegistryListsOpenConnectionsById(Transport transport) throws Exception {
        try (WebSocketServer server = Support.server(transport).route("/r", new Recorder()).start();
             WebSocketClient client = Support.client(transport).build()) {
            List<WebSocket> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(client.connect(Support.uri(server, "/r"), new Recorder()).get(30, TimeUnit.SECONDS));
            }
            while (server.connectionCount() < 5) {
                Thread.sleep(5);
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (WebSocket ws : server.connections()) {
                assertTrue(ids.add(ws.id()), "ids are unique");
                assertEquals(ws, server.connection(ws.id()).orElseThrow());
            }
            assertEquals(5, ids.size());
            assertTrue(server.connection("no-such-id").isEmpty());
            clients.get(0).close().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Support.WAIT.toNanos();
            while (server.connectionCount() > 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(4, server.connectionCount());
        }
    }
}
