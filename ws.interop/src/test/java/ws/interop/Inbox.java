package ws.interop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/** What our client receives, one event at a time. */
final class Inbox implements WebSocketListener {
    /** One event: its kind, and the bytes of a message or pong, or the close status. */
    record Event(String kind, byte[] bytes, CloseStatus status) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return kind + (status != null ? " " + status : " of " + bytes.length + " bytes");
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("our client received nothing within " + timeout);
        }
        return event;
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        events.add(new Event("text", text.getBytes(StandardCharsets.UTF_8), null));
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuffer data) {
        events.add(new Event("binary", bytes(data), null));
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        events.add(new Event("pong", bytes(payload), null));
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        events.add(new Event("close", new byte[0], status));
    }
}
