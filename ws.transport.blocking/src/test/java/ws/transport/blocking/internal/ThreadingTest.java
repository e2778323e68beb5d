package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** The threading contract: callbacks never overlap, sends are safe from any thread and keep each thread's order. */
class ThreadingTest {
    private static final String BOTH = "ws.transport.blocking.internal.Support#transports";

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void sendsFromManyThreadsWhileCallbacksNeverOverlap(Transport transport) throws Exception {
        Recorder serverSide = Recorder.echo();
        try (WebSocketServer server = Support.server(transport).route("/echo", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            Recorder clientSide = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/echo"), clientSide).get(30, TimeUnit.SECONDS);
            clientSide.next(Recorder.Open.class);
            int threads = 8;
            int perThread = 300;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int id = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        futures.add(i % 2 == 0 ? ws.sendText(id + ":" + i)
                                : ws.sendBinary(ByteBuffer.wrap((id + ":" + i).getBytes())));
                        if (i % 50 == 0) {
                            futures.add(ws.ping(ByteBuffer.wrap(new byte[] {(byte) id})));
                        }
                    }
                }));
            }
            start.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            Map<Integer, Integer> next = new HashMap<>();
            int received = 0;
            while (received < threads * perThread) {
                Object event = clientSide.events.poll(10, TimeUnit.SECONDS);
                String message;
                if (event instanceof Recorder.Text text) {
                    message = text.text();
                } else if (event instanceof Recorder.Binary binary) {
                    message = new String(binary.bytes());
                } else if (event instanceof Recorder.Pong) {
                    continue;
                } else {
                    throw new AssertionError("unexpected " + event + " after " + received + " messages");
                }
                String[] parts = message.split(":");
                int sender = Integer.parseInt(parts[0]);
                int index = Integer.parseInt(parts[1]);
                assertEquals(next.getOrDefault(sender, 0), index, "thread " + sender + "'s messages out of order");
                next.put(sender, index + 1);
                received++;
            }
            serverSide.assertNoOverlap();
            clientSide.assertNoOverlap();
            assertEquals(0, ws.bufferedAmount());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void aSlowListenerSlowsOnlyItsOwnConnection(Transport transport) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = new Recorder() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.onText(webSocket, text);
            }
        };
        try (WebSocketServer server = Support.server(transport).route("/slow", slow).route("/echo", Recorder.echo()).start();
             WebSocketClient client = Support.client(transport).build()) {
            WebSocket stuck = client.connect(Support.uri(server, "/slow"), new Recorder()).get(30, TimeUnit.SECONDS);
            stuck.sendText("hold the thread");
            Recorder fast = new Recorder();
            WebSocket ws = client.connect(Support.uri(server, "/echo"), fast).get(30, TimeUnit.SECONDS);
            ws.sendText("quick");
            assertEquals("quick", fast.nextOf(Recorder.Text.class).text());
            release.countDown();
            assertTrue(slow.nextOf(Recorder.Text.class).text().startsWith("hold"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#socketTransports")
    void callbacksRunOnTheTransportsThreads(Transport transport) throws Exception {
        CompletableFuture<Thread> seen = new CompletableFuture<>();
        Recorder serverSide = new Recorder() {
            @Override
            public void onOpen(WebSocket webSocket) {
                seen.complete(Thread.currentThread());
                super.onOpen(webSocket);
            }
        };
        try (WebSocketServer server = Support.server(transport).route("/t", serverSide).start();
             WebSocketClient client = Support.client(transport).build()) {
            client.connect(Support.uri(server, "/t"), new Recorder()).get(30, TimeUnit.SECONDS);
            Thread thread = seen.get(30, TimeUnit.SECONDS);
            assertEquals(transport.name().equals("virtual"), thread.isVirtual(), thread.toString());
            assertTrue(thread.getName().startsWith("ws-server-ws-"), thread.getName());
        }
    }
}
