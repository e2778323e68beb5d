package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * Who writes a read's answers: the connection's own reading thread, with a write that does not wait,
 * on every transport; the hand-off writer only for what the socket does not take at once and for
 * other threads' sends. On the blocking transport a hand-off per read put every connection's writes
 * on the one carrier thread of the virtual writers, which the kernel starved behind a hundred busy
 * readers under a paced load (docs/performance.md, "The blocking transport under open-loop load").
 *
 * <p>A send's future completes on the thread that wrote its bytes, after the listener returned (the
 * reader's sends of one read are written together once its events are dispatched), so an action
 * chained to it in {@code onText} runs on the writing thread.
 */
@DisplayName("The reading thread writes its own answers, on every transport")
class ReaderWritesTest {
    private static final int MESSAGES = 100;

    @ParameterizedTest(name = "{0}")
    @MethodSource("ws.transport.blocking.internal.Support#transports")
    @DisplayName("100 echoes, one at a time: each answer is written by the thread that read its message")
    void answersAreWrittenByTheReader(Transport transport) throws Exception {
        AtomicInteger byReader = new AtomicInteger();
        AtomicInteger byOthers = new AtomicInteger();
        WebSocketListener echo = new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, String text) {
                Thread reader = Thread.currentThread();
                webSocket.sendText(text).thenRun(() -> {
                    if (Thread.currentThread() == reader) {
                        byReader.incrementAndGet();
                    } else {
                        byOthers.incrementAndGet();
                    }
                });
            }
        };
        BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
        try (WebSocketServer server = Support.server(transport).route("/echo", echo).start();
             WebSocketClient client = Support.client(transport).build()) {
            WebSocket ws = client.connect(Support.uri(server, "/echo"), new WebSocketListener() {
                @Override
                public void onText(WebSocket webSocket, String text) {
                    echoed.add(text);
                }
            }).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < MESSAGES; i++) {
                ws.sendText("m" + i);
                assertEquals("m" + i, echoed.poll(30, TimeUnit.SECONDS), "the echo of message " + i);
            }
            ws.close(1000, "");
        }
        assertEquals(MESSAGES, byReader.get() + byOthers.get(), "every answer's future completed");
        // the first answers may race the hand-off writer that wrote the 101 (it still holds the write
        // lock for an instant after its write); before the change every one was the writer's
        assertTrue(byReader.get() >= MESSAGES - 5,
                byReader.get() + " of " + MESSAGES + " answers written by the reading thread, " + byOthers.get() + " handed off");
    }
}
