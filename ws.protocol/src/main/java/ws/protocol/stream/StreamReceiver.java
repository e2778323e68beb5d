package ws.protocol.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ws.protocol.CloseStatus;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.WebSocket;
import ws.protocol.driver.ConnectionDriver;

/**
 * A {@link StreamingListener} on the fragment path: the first fragment of a message starts its
 * handler on a task thread with a {@link FragmentPipe}; each fragment goes into the pipe (the reading
 * thread pausing while it is full); the last one ends it, and the reading thread waits for the
 * handler to return before the next message, so that handlers run one at a time.
 */
final class StreamReceiver implements FragmentListener {
    private final StreamingListener target;
    private final long capacity;
    /** The message being streamed, per connection. */
    private final Map<WebSocket, Inbound> streaming = new ConcurrentHashMap<>();

    /** One message's pipe and its handler's outcome. */
    private record Inbound(FragmentPipe pipe, CompletableFuture<Void> handled) {
    }

    StreamReceiver(StreamingListener target, long capacity) {
        this.target = target;
        this.capacity = capacity;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        target.onOpen(webSocket);
    }

    @Override
    public void onFragment(WebSocket webSocket, ByteBuffer data, boolean text, boolean first, boolean last) {
        ConnectionDriver driver = driver(webSocket);
        Inbound inbound = first ? start(driver, text) : streaming.get(webSocket);
        inbound.pipe().put(data);
        rethrowIfFailed(inbound);
        if (last) {
            inbound.pipe().end();
            // one handler at a time: the next message starts once this one's handler returned
            driver.readPause().await(inbound.handled()::isDone);
            streaming.remove(webSocket);
            rethrowIfFailed(inbound);
        }
    }

    private Inbound start(ConnectionDriver driver, boolean text) {
        FragmentPipe pipe = new FragmentPipe(driver.readPause(), capacity);
        Inbound inbound = new Inbound(pipe, new CompletableFuture<>());
        streaming.put(driver, inbound);
        driver.tasks().execute(() -> {
            try {
                if (text) {
                    target.onTextStream(driver, pipe.reader());
                } else {
                    target.onBinaryStream(driver, pipe.input());
                }
                inbound.handled().complete(null);
            } catch (Throwable e) {
                inbound.handled().completeExceptionally(e);
            } finally {
                pipe.abandon(); // what the handler left unread is dropped
            }
        });
        return inbound;
    }

    /** A handler that threw fails the connection (1011) now, not at the end of its message. */
    private static void rethrowIfFailed(Inbound inbound) {
        CompletableFuture<Void> handled = inbound.handled();
        if (!handled.isCompletedExceptionally()) {
            return;
        }
        Throwable error = handled.exceptionNow();
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        if (error instanceof IOException io) {
            throw new UncheckedIOException("a stream handler failed", io);
        }
        throw new IllegalStateException("a stream handler failed", error);
    }

    /** The driver behind a connection given to a callback (every transport runs one). */
    static ConnectionDriver driver(WebSocket webSocket) {
        if (webSocket instanceof ConnectionDriver driver) {
            return driver;
        }
        throw new IllegalStateException("streams need a connection run by the SDK's driver, not " + webSocket);
    }

    @Override
    public void onPing(WebSocket webSocket, ByteBuffer payload) {
        target.onPing(webSocket, payload);
    }

    @Override
    public void onPong(WebSocket webSocket, ByteBuffer payload) {
        target.onPong(webSocket, payload);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        Inbound inbound = streaming.get(webSocket);
        if (inbound != null) {
            inbound.pipe().fail(new IOException("the connection failed before the message ended: " + error, error));
        }
        target.onError(webSocket, error);
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        Inbound inbound = streaming.remove(webSocket);
        if (inbound != null) {
            inbound.pipe().fail(new IOException("the connection closed before the message ended: " + status));
            inbound.handled().exceptionally(e -> null).join(); // onClose comes after the last handler
        }
        target.onClose(webSocket, status);
    }
}
