package ws.protocol.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * What a streamed send's {@link java.io.OutputStream} and {@link java.io.Writer} share: one part in
 * flight at a time. Each flush sends the buffer as a frame of the message (the engine's partial
 * sends), after the previous part was written: a slow peer holds the writer back, and the buffer of
 * the previous part is free again (a server may write a large part from it without copying).
 */
final class PartSender {
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private boolean closed;

    /** Throws when the stream was closed. */
    void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the message stream is closed");
        }
    }

    /** Waits for the part in flight, then sends the next one. */
    void send(Supplier<CompletableFuture<Void>> part) throws IOException {
        awaitInFlight();
        try {
            inFlight = part.get();
        } catch (IllegalStateException | IllegalArgumentException misuse) {
            // another message in the way (RFC 6455 section 5.4: no interleaving), or the connection closed
            throw new IOException("the part could not be sent: " + misuse.getMessage(), misuse);
        }
    }

    /** Sends the last part and waits until it was written; later calls do nothing. */
    void close(Supplier<CompletableFuture<Void>> last) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        send(last);
        awaitInFlight();
    }

    private void awaitInFlight() throws IOException {
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the previous part was written");
        } catch (ExecutionException e) {
            closed = true;
            throw new IOException("the message could not be sent: " + e.getCause(), e.getCause());
        }
    }
}
