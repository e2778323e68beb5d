package ws.transport.virtualthreads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.BlockingTransport;

/**
 * The virtual-thread transport as users get it: found by the ServiceLoader, preferred over the
 * blocking one, running connections on virtual threads. (The shared loop is tested in depth, on both
 * kinds of threads, in ws.transport.blocking.)
 */
class VirtualThreadTransportTest {
    private static final ConnectionOptions FAST = ConnectionOptions.defaults()
            .withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))
            .withCloseTimeout(Duration.ofSeconds(2))
            .withHandshakeTimeout(Duration.ofSeconds(15)); // 500 handshakes at once on a loaded 2-core machine

    /** Echoes, and records the threads its callbacks ran on. */
    static final class Echo implements WebSocketListener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        private final boolean echo;

        Echo(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            threads.add(Thread.currentThread());
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            threads.add(Thread.currentThread());
            received.add(text);
            if (echo) {
                webSocket.sendText(text);
            }
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add(bytes);
            if (echo) {
                webSocket.sendBinary(ByteBuffer.wrap(bytes));
            }
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closed.complete(status);
        }

        Object next() throws InterruptedException {
            Object value = received.poll(10, TimeUnit.SECONDS);
            assertTrue(value != null, "nothing received within 10 s");
            return value;
        }
    }

    @Test
    void theServiceLoaderPrefersTheVirtualTransport() {
        List<Transport> installed = Transport.installed();
        assertEquals("virtual", installed.get(0).name(), installed.toString());
        assertTrue(installed.stream().anyMatch(t -> t instanceof BlockingTransport), installed.toString());
        assertInstanceOf(VirtualThreadTransport.class, Transport.defaultTransport());
        assertInstanceOf(VirtualThreadTransport.class, Transport.named("virtual"));
        assertEquals(20, new VirtualThreadTransport().priority());
    }

    @Test
    void theDefaultTransportEchoesOnVirtualThreads() throws Exception {
        Echo serverSide = new Echo(true);
        // no transport named: the default, which is this one
        try (WebSocketServer server = WebSocketServer.builder().connection(FAST).route("/echo", serverSide).start();
             WebSocketClient client = WebSocketClient.builder().connection(FAST).build()) {
            Echo clientSide = new Echo(false);
            WebSocket ws = client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), clientSide)
                    .get(10, TimeUnit.SECONDS);
            ws.sendText("virtually");
            assertEquals("virtually", clientSide.next());
            byte[] big = new byte[1 << 20];
            new java.util.Random(7).nextBytes(big);
            ws.sendBinary(ByteBuffer.wrap(big));
            assertArrayEquals(big, (byte[]) clientSide.next());
            assertEquals(1000, ws.close().get(10, TimeUnit.SECONDS).code());
            assertEquals(1000, serverSide.closed.get(10, TimeUnit.SECONDS).code());
            assertTrue(serverSide.threads.stream().allMatch(Thread::isVirtual), serverSide.threads.toString());
            assertTrue(clientSide.threads.stream().allMatch(Thread::isVirtual), clientSide.threads.toString());
        }
    }

    @Test
    void manyConnectionsAtOnce() throws Exception {
        Echo serverSide = new Echo(true);
        int count = 500;
        try (WebSocketServer server = WebSocketServer.builder().transport(new VirtualThreadTransport())
                .connection(FAST).route("/echo", serverSide).start();
             WebSocketClient client = WebSocketClient.builder().transport(new VirtualThreadTransport())
                     .connection(FAST).build()) {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            List<Echo> listeners = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Echo listener = new Echo(false);
                listeners.add(listener);
                opening.add(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), listener));
            }
            for (int i = 0; i < count; i++) {
                opening.get(i).get(10, TimeUnit.SECONDS).sendText("n" + i);
            }
            for (int i = 0; i < count; i++) {
                assertEquals("n" + i, listeners.get(i).next());
            }
            assertEquals(count, server.connectionCount());
        }
    }
}
