package ws.protocol.stream;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;
import ws.protocol.api.WebSocket;

/**
 * A text message sent as it is written: a frame per full buffer or flush, the last one (FIN) at close.
 * A surrogate pair split by a flush is completed by the next frame (the engine carries the high half).
 */
final class MessageWriter extends Writer {
    private final WebSocket webSocket;
    private final PartSender sender = new PartSender();
    private final char[] buffer;
    private int count;

    MessageWriter(WebSocket webSocket, int bufferSize) {
        this.webSocket = webSocket;
        this.buffer = new char[bufferSize];
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, chars.length);
        sender.checkOpen();
        while (length > 0) {
            if (count == buffer.length) {
                sendPart();
            }
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(chars, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
        }
    }

    /** Sends what is buffered as a frame of the message (not the last); nothing when the buffer is empty. */
    @Override
    public void flush() throws IOException {
        sender.checkOpen();
        if (count > 0) {
            sendPart();
        }
    }

    /** Sends the rest as the message's last frame (FIN) and waits until it was written. */
    @Override
    public void close() throws IOException {
        String rest = new String(buffer, 0, count);
        count = 0;
        sender.close(() -> webSocket.sendText(rest, true));
    }

    private void sendPart() throws IOException {
        String part = new String(buffer, 0, count); // the engine encodes it at once: the buffer is free again
        count = 0;
        sender.send(() -> webSocket.sendText(part, false));
    }
}
