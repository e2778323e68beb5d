package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.driver.ConnectionDriver;
import ws.transport.eventloop.EventLoopTransport;

/**
 * What an idle connection costs on the event loops, through the transport's own counters: no thread
 * (the loops are all there is, however many connections), no read buffer (each loop lends its one
 * buffer only while bytes are handed over), no outgoing queue and no buffer kept in the driver or
 * the engine, and a timer that is an entry in a loop's queue.
 */
class IdleConnectionTest {
    private static final int CONNECTIONS = 200;
    /** Keepalive on: every open connection has its timer armed, as by default. */
    private static final ConnectionOptions OPTIONS = ConnectionOptions.defaults()
            .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(20))
            .withCloseTimeout(Duration.ofSeconds(2))
            .withHandshakeTimeout(Duration.ofSeconds(15));

    /** Echoes texts and records the threads its callbacks ran on. */
    static final class Echo implements WebSocketListener {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final List<CompletableFuture<CloseStatus>> closes = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            threads.add(Thread.currentThread());
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            threads.add(Thread.currentThread());
            webSocket.sendText(text);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closes.add(CompletableFuture.completedFuture(status));
        }
    }

    @Test
    void foundByTheServiceLoaderByName() {
        assertInstanceOf(EventLoopTransport.class, Transport.named("eventloop"));
    }

    @Test
    void idleConnectionsHoldNoThreadAndNoReadBuffer() throws Exception {
        Echo serverSide = new Echo();
        Transport transport = new EventLoopTransport(2);
        try (WebSocketServer server = WebSocketServer.builder().transport(transport).port(0).host("127.0.0.1")
                .connection(OPTIONS).route("/idle", serverSide).start();
             WebSocketClient client = WebSocketClient.builder().transport(transport).connection(OPTIONS).build()) {
            LoopServer loops = (LoopServer) server;
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            List<WebSocket> sockets = new ArrayList<>();
            List<CompletableFuture<String>> echoes = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                CompletableFuture<String> echoed = new CompletableFuture<>();
                echoes.add(echoed);
                sockets.add(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/idle"), new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        echoed.complete(text);
                    }
                }).get(15, TimeUnit.SECONDS));
            }
            // opened and never used: no outgoing queue and no buffer per connection (the driver's own accounting)
            assertEquals(CONNECTIONS, awaitQuiet(server), "server connections holding neither an outgoing queue nor a buffer");
            for (int i = 0; i < CONNECTIONS; i++) {
                sockets.get(i).sendText("hello " + i);
                assertEquals("hello " + i, echoes.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(CONNECTIONS, server.connectionCount());
            // every connection read and answered: now idle
            // (the last echo completed inside a client callback, so the client's loop may still be in that read)
            awaitIdle(loops.group());
            awaitIdle(((LoopClient) client).group());
            assertEquals(0, loops.group().buffersLent(), "read buffers lent while every connection is idle");
            assertEquals(0, ((LoopClient) client).group().buffersLent());
            assertEquals(CONNECTIONS + 1, loops.group().channels(), "the listener and one channel per connection");
            assertEquals(0, loops.httpCount(), "no connection left in its HTTP phase");
            // the server's callbacks ran on its two loops, and no thread exists per connection
            assertTrue(serverSide.threads.size() <= 2, "callback threads " + serverSide.threads);
            for (Thread thread : serverSide.threads) {
                assertTrue(thread.getName().startsWith("ws-loop-"), thread.getName());
            }
            Set<Thread> added = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
            added.removeAll(before);
            added.removeIf(thread -> !thread.isAlive());
            assertTrue(added.size() < 10, "threads started for " + CONNECTIONS + " idle connections: " + added);

            server.shutdown(Duration.ofSeconds(5)).get(20, TimeUnit.SECONDS);
            assertEquals(0, server.connectionCount());
            assertEquals(0, loops.group().channels(), "every channel closed by the shutdown");
            assertEquals(CONNECTIONS, serverSide.closes.size());
            for (CompletableFuture<CloseStatus> close : serverSide.closes) {
                assertEquals(1001, close.get().code());
            }
        }
    }

    /**
     * How many of the server's connections hold neither an outgoing queue nor a buffer, once all of them
     * do or after a bounded wait (each drops its queue at the end of the read that opened it, on its loop).
     */
    private static int awaitQuiet(WebSocketServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int quiet = 0;
            for (WebSocket connection : server.connections()) {
                ConnectionDriver driver = (ConnectionDriver) connection;
                if (!driver.holdsOutputQueue() && driver.retainedBufferBytes() == 0) {
                    quiet++;
                }
            }
            if (quiet == server.connectionCount() || System.nanoTime() > deadline) {
                return quiet;
            }
            Thread.sleep(10);
        }
    }

    /** Waits until no read buffer is lent (the loops finish the reads under way), boundedly. */
    private static void awaitIdle(LoopGroup group) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.buffersLent() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
