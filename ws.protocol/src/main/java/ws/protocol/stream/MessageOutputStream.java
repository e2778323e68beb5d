package ws.protocol.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import ws.protocol.api.WebSocket;

/** A binary message sent as it is written: a frame per full buffer or flush, the last one (FIN) at close. */
final class MessageOutputStream extends OutputStream {
    private final PartBuffer parts;
    private final byte[] one = new byte[1];

    MessageOutputStream(WebSocket webSocket, int bufferSize) {
        parts = new PartBuffer(new byte[bufferSize], new byte[bufferSize],
                (buffer, count, last) -> webSocket.sendBinary(ByteBuffer.wrap((byte[]) buffer, 0, count), last));
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        parts.write(one, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        parts.write(bytes, offset, length);
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
