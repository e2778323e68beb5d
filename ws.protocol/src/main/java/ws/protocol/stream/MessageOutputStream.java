package ws.protocol.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import ws.protocol.api.WebSocket;

/** A binary message sent as it is written: a frame per full buffer or flush, the last one (FIN) at close. */
final class MessageOutputStream extends OutputStream {
    private final WebSocket webSocket;
    private final PartSender sender = new PartSender();
    private byte[] buffer;
    /** The buffer of the part in flight: reused once that part was written. */
    private byte[] spare;
    private int count;

    MessageOutputStream(WebSocket webSocket, int bufferSize) {
        this.webSocket = webSocket;
        this.buffer = new byte[bufferSize];
        this.spare = new byte[bufferSize];
    }

    @Override
    public void write(int b) throws IOException {
        sender.checkOpen();
        if (count == buffer.length) {
            sendPart(false);
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        sender.checkOpen();
        while (length > 0) {
            if (count == buffer.length) {
                sendPart(false);
            }
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, n);
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
            sendPart(false);
        }
    }

    /** Sends the rest as the message's last frame (FIN) and waits until it was written. */
    @Override
    public void close() throws IOException {
        ByteBuffer rest = ByteBuffer.wrap(buffer, 0, count);
        count = 0;
        sender.close(() -> webSocket.sendBinary(rest, true));
    }

    private void sendPart(boolean last) throws IOException {
        ByteBuffer part = ByteBuffer.wrap(buffer, 0, count);
        sender.send(() -> webSocket.sendBinary(part, last));
        byte[] sent = buffer;
        buffer = spare;
        spare = sent;
        count = 0;
    }
}
