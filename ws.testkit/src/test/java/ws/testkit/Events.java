package ws.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/** A listener that records callbacks as strings ("open", "text:hi", "close:1000") and counts overlaps. */
class Events implements WebSocketListener {
    final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();

    private void record(String event) {
        if (inside.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
        try {
            log.add(event);
        } finally {
            inside.decrementAndGet();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        record("open");
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        record("text:" + text);
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        record("binary:" + StandardCharsets.ISO_8859_1.decode(data.duplicate()));
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        record("pong");
    }

    @Override
    public void onError(WebSocket webSocket, Throwable failure) {
        error.complete(failure);
        record("error:" + failure.getClass().getSimpleName());
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        record("close:" + status.code());
        closed.complete(status);
    }

    String next() throws InterruptedException {
        String event = log.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + WAIT);
        }
        return event;
    }

    CloseStatus awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static final Duration WAIT = Duration.ofSeconds(30);
}
