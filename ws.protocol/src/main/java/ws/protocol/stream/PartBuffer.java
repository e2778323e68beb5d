package ws.protocol.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What a streamed send's {@link java.io.OutputStream} and {@link java.io.Writer} share: a buffer (a
 * {@code byte[]} or a {@code char[]}) sent as a frame of the message each time it is full or flushed,
 * the last frame (FIN) at close, and one part in flight at a time. A part is handed to the connection
 * only after the previous one was written: a slow peer holds the writer back, and the previous part's
 * buffer is free again (a server may write a large part from it without copying), so two buffers do.
 */
final class PartBuffer {
    /** Sends {@code count} elements of {@code buffer} as a part of the message. */
    @FunctionalInterface
    interface Sender {
        CompletableFuture<Void> send(Object buffer, int count, boolean last);
    }

    private final Sender sender;
    private final int capacity;
    private Object buffer;
    /** The buffer of the part in flight: reused once that part was written. */
    private Object spare;
    private int count;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private boolean closed;

    PartBuffer(Object buffer, Object spare, Sender sender) {
        this.buffer = buffer;
        this.spare = spare;
        this.capacity = java.lang.reflect.Array.getLength(buffer);
        this.sender = sender;
    }

    /** Appends {@code length} elements of {@code from} (an array of the buffer's type), sending full buffers. */
    void write(Object from, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, java.lang.reflect.Array.getLength(from));
        checkOpen();
        while (length > 0) {
            if (count == capacity) {
                sendPart(false);
            }
            int n = Math.min(length, capacity - count);
            System.arraycopy(from, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
        }
    }

    /** Sends what is buffered as a frame of the message (not the last); nothing when the buffer is empty. */
    void flush() throws IOException {
        checkOpen();
        if (count > 0) {
            sendPart(false);
        }
    }

    /** Sends the rest as the message's last frame (FIN) and waits until it was written; later calls do nothing. */
    void close() throws IOException {
        if (closed) {
            return;
        }
        sendPart(true);
        closed = true;
        awaitInFlight();
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the message stream is closed");
        }
    }

    private void sendPart(boolean last) throws IOException {
        awaitInFlight();
        try {
            inFlight = sender.send(buffer, count, last);
        } catch (IllegalStateException | IllegalArgumentException misuse) {
            // another message in the way (RFC 6455 section 5.4: no interleaving), or the connection closing
            closed = true;
            throw new IOException("the part could not be sent: " + misuse.getMessage(), misuse);
        }
        Object sent = buffer;
        buffer = spare;
        spare = sent;
        count = 0;
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
