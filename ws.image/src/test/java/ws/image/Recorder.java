package ws.image;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what the JDK's WebSocket client receives, one event per entry ("text:...", "binary:N", "close:CODE"). */
final class Recorder implements WebSocket.Listener {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    volatile byte[] lastBinary;

    String next() throws InterruptedException {
        String event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("nothing received within " + TIMEOUT);
        }
        return event;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add("text:" + text);
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            lastBinary = binary.toByteArray();
            binary.reset();
            events.add("binary:" + lastBinary.length);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add("close:" + statusCode);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add("error:" + error);
    }
}
