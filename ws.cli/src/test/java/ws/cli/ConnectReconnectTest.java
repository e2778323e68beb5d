package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/** {@code ws connect --reconnect --ping SECONDS} in process, against a server that drops it once. */
class ConnectReconnectTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final BlockingQueue<String> serverSaw = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebSocket> opened = new LinkedBlockingQueue<>();
    private WebSocketServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private String nextServerEvent() throws InterruptedException {
        while (true) {
            String event = serverSaw.poll(20, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("the server saw nothing in 20 s");
            }
            if (!event.equals("ping")) {
                return event;
            }
        }
    }

    private void awaitErr(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!err.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("standard error never said \"" + text + "\": " + err.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void reconnectsAfterADropReportsItAndPings() throws Exception {
        server = WebSocketServer.builder().port(0).route("/", new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                opened.add(webSocket);
                serverSaw.add("open");
            }

            @Override
            public void onText(WebSocket webSocket, String text) {
                serverSaw.add("text:" + text);
                if (text.equals("bye")) {
                    webSocket.close(1000, "");
                }
            }

            @Override
            public void onPing(WebSocket webSocket, ByteBuffer payload) {
                serverSaw.add("ping");
            }
        }).start();
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return ConnectCommand.parse(List.of("ws://127.0.0.1:" + server.port() + "/", "--reconnect", "--ping", "0.2"))
                        .run(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("open", nextServerEvent());
        typing.write("one\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        assertEquals("text:one", nextServerEvent());
        assertEquals("ping", serverSaw.poll(20, TimeUnit.SECONDS), "a keepalive ping after 0.2 s of quiet");
        opened.take().abort(); // the server drops the connection: no close frame
        awaitErr("* reconnecting in ");
        assertEquals("open", nextServerEvent());
        awaitErr("* reconnected to ws://127.0.0.1:" + server.port() + "/ after 1 attempt");
        typing.write("two\nbye\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        assertEquals("text:two", nextServerEvent());
        assertEquals("text:bye", nextServerEvent());
        assertEquals(0, exit.get(20, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8)); // 1000 ends it
        typing.close();
        String info = err.toString(StandardCharsets.UTF_8);
        assertTrue(info.contains("closed: 1000"), info);
    }

    @Test
    void aBadPingIsAUsageError() {
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                () -> ConnectCommand.parse(List.of("ws://127.0.0.1:1/", "--ping", "soon"))).getMessage().contains("--ping"));
    }
}
