package ws.transport.blocking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * Records a connection's callbacks in order, checks they never overlap, and optionally echoes
 * messages back.
 */
class Recorder implements WebSocketListener {
    record Open(WebSocket webSocket) {
    }

    record Text(String text) {
    }

    record Binary(byte[] bytes) {
    }

    record Ping(byte[] bytes) {
    }

    record Pong(byte[] bytes) {
    }

    record Error(Throwable error) {
    }

    record Close(CloseStatus status) {
    }

    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    private final boolean echo;

    Recorder() {
        this(false);
    }

    Recorder(boolean echo) {
        this.echo = echo;
    }

    static Recorder echo() {
        return new Recorder(true);
    }

    private void enter() {
        if (inside.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
    }

    private void exit() {
        inside.decrementAndGet();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        enter();
        try {
            events.add(new Open(webSocket));
            opened.complete(webSocket);
        } finally {
            exit();
        }
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        enter();
        try {
            events.add(new Text(text));
            if (echo) {
                webSocket.sendText(text);
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        enter();
        try {
            byte[] bytes = bytes(data);
            events.add(new Binary(bytes));
            if (echo) {
                webSocket.sendBinary(ByteBuffer.wrap(bytes));
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        enter();
        try {
            events.add(new Ping(bytes(payload)));
        } finally {
            exit();
        }
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        enter();
        try {
            events.add(new Pong(bytes(payload)));
        } finally {
            exit();
        }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        enter();
        try {
            events.add(new Error(error));
        } finally {
            exit();
        }
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        enter();
        try {
            closes.incrementAndGet();
            events.add(new Close(status));
            closed.complete(status);
        } finally {
            exit();
        }
    }

    /** The next event, which must be of {@code type}, skipping none. */
    <T> T next(Class<T> type) throws InterruptedException {
        Object event = events.poll(Support.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, "no " + type.getSimpleName() + " within " + Support.WAIT);
        return assertInstanceOf(type, event, () -> "expected " + type.getSimpleName() + ", got " + event);
    }

    /** The next event of {@code type}, skipping others. */
    <T> T nextOf(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + Support.WAIT.toNanos();
        while (true) {
            Object event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                fail("no " + type.getSimpleName() + " within " + Support.WAIT);
            }
            if (type.isInstance(event)) {
                return type.cast(event);
            }
        }
    }

    String nextText() throws InterruptedException {
        return next(Text.class).text();
    }

    CloseStatus awaitClose() throws Exception {
        return closed.get(Support.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    WebSocket awaitOpen() throws Exception {
        return opened.get(Support.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void assertNoOverlap() {
        assertEquals(0, overlaps.get(), "callbacks ran concurrently");
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
