package ws.protocol.stream;

import java.io.OutputStream;
import java.io.Writer;
import java.util.Objects;
import ws.protocol.api.FragmentListener;
import ws.protocol.api.WebSocket;

/**
 * Messages as streams, in both directions, never holding a whole message.
 *
 * <p><b>Receiving</b>: {@link #receiving(StreamingListener)} makes a listener (for a route or a client)
 * that hands each message to the {@link StreamingListener} as an {@link java.io.InputStream} or a
 * {@link java.io.Reader} while its frames arrive; while the handler does not read, at most
 * {@value #DEFAULT_BUFFER} bytes (and one frame) wait and the connection stops reading the network.
 *
 * <p><b>Sending</b>: {@link #outputStream(WebSocket)} and {@link #writer(WebSocket)} send one message
 * as it is written: each full buffer or {@code flush()} becomes a frame, {@code close()} sends the last
 * frame (FIN) and waits until it was written. A part is sent only once the previous one was written,
 * so a slow peer holds the writer back rather than filling memory. While such a message is open, a
 * whole message sent on the connection throws ({@link IllegalStateException}: RFC 6455 section 5.4
 * forbids interleaving data frames of different messages); pings and pongs may go between its
 * frames. With permessage-deflate each frame is compressed as part of one message (RFC 7692 section
 * 6.1: RSV1 on the first frame only). A stream is used by one thread at a time.
 */
public final class MessageStreams {
    /** The default buffer, received or sent: 64 KiB (the frame size of a streamed send). */
    public static final int DEFAULT_BUFFER = 64 << 10;

    private MessageStreams() {
    }

    /** A listener receiving each message as a stream; the buffer is {@value #DEFAULT_BUFFER} bytes. */
    public static FragmentListener receiving(StreamingListener listener) {
        return receiving(listener, DEFAULT_BUFFER);
    }

    /**
     * A listener receiving each message as a stream, with at most {@code bufferBytes} (plus one frame)
     * waiting for the handler before the connection stops reading the network.
     */
    public static FragmentListener receiving(StreamingListener listener, int bufferBytes) {
        Objects.requireNonNull(listener, "listener");
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes " + bufferBytes + " < 1");
        }
        return new StreamReceiver(listener, bufferBytes);
    }

    /** Sends one binary message as it is written, in frames of {@value #DEFAULT_BUFFER} bytes. */
    public static OutputStream outputStream(WebSocket webSocket) {
        return outputStream(webSocket, DEFAULT_BUFFER);
    }

    /** Sends one binary message as it is written, in frames of at most {@code frameBytes} bytes. */
    public static OutputStream outputStream(WebSocket webSocket, int frameBytes) {
        Objects.requireNonNull(webSocket, "webSocket");
        if (frameBytes < 1) {
            throw new IllegalArgumentException("frameBytes " + frameBytes + " < 1");
        }
        return new MessageOutputStream(webSocket, frameBytes);
    }

    /** Sends one text message as it is written, in frames of {@value #DEFAULT_BUFFER} chars. */
    public static Writer writer(WebSocket webSocket) {
        return writer(webSocket, DEFAULT_BUFFER);
    }

    /** Sends one text message as it is written, in frames of at most {@code frameChars} chars (before UTF-8). */
    public static Writer writer(WebSocket webSocket, int frameChars) {
        Objects.requireNonNull(webSocket, "webSocket");
        if (frameChars < 2) {
            throw new IllegalArgumentException("frameChars " + frameChars + " < 2 (a surrogate pair must fit)");
        }
        return new MessageWriter(webSocket, frameChars);
    }
}
