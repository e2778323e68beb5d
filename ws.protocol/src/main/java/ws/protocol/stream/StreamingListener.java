package ws.protocol.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;

/**
 * A listener that reads each message as a stream while its frames arrive, never holding the whole
 * message: binary as an {@link InputStream}, text as a {@link Reader}. Wrap it with
 * {@link MessageStreams#receiving(StreamingListener)} to use it as a route's or a client's listener.
 *
 * <p><b>Threads.</b> Each message's handler runs on a thread of its own (the transport's, one per
 * message), because the connection's reading thread feeds the stream while the handler reads it.
 * The next message's handler starts only once this one returned, and {@link #onClose} runs after
 * the last handler returned; {@link #onPing} and {@link #onPong} may run while a handler reads (the
 * control frames come between the fragments it reads).
 *
 * <p><b>Backpressure.</b> While the handler has not read, at most the stream's buffer (and one
 * fragment) waits in memory: then the connection stops reading the network until the handler reads.
 * A handler that returns before the end of its stream drops the rest of the message; a handler that
 * throws fails the connection with 1011.
 *
 * <p><b>Errors and limits.</b> A read throws an {@link IOException} when the message cannot end: the
 * peer broke the protocol (invalid UTF-8 in a text message fails the connection with 1007, mid-message
 * too: invalid bytes are never delivered), the message exceeded
 * {@link ws.protocol.Limits#maxStreamedMessageSize()} (1009), or the connection closed.
 */
public interface StreamingListener extends WebSocketListener {

    /**
     * A binary message starts: read it to the end of the stream (or close the stream to drop the rest).
     * Runs on a thread of its own.
     */
    default void onBinaryStream(WebSocket webSocket, InputStream data) throws IOException {
    }

    /**
     * A text message starts: read it to the end of the reader (or close it to drop the rest). Runs on
     * a thread of its own.
     */
    default void onTextStream(WebSocket webSocket, Reader text) throws IOException {
    }
}
