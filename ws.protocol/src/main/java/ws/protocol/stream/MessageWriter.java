package ws.protocol.stream;

import java.io.IOException;
import java.io.Writer;
import ws.protocol.api.WebSocket;

/**
 * A text message sent as it is written: a frame per full buffer or flush, the last one (FIN) at close.
 * A surrogate pair split by a flush is completed by the next frame (the engine carries the high half).
 */
final class MessageWriter extends Writer {
    private final PartBuffer parts;

    MessageWriter(WebSocket webSocket, int bufferSize) {
        // the engine encodes a text part at once, so the buffer is free again when the send returns
        parts = new PartBuffer(new char[bufferSize], new char[bufferSize],
                (buffer, count, last) -> webSocket.sendText(new String((char[]) buffer, 0, count), last));
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        parts.write(chars, offset, length);
    }

    /** Sends what is buffered as a frame of the message (not the last); nothing when the buffer is empty. */
    @Override
    public void flush() throws IOException {
        parts.flush();
    }

    /** Sends the rest as the message's last frame (FIN) and waits until it was written. */
    @Override
    public void close() throws IOException {
        parts.close();
    }
}
