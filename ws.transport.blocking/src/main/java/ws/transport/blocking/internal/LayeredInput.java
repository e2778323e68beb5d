package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.Socket;
import ws.transport.blocking.layer.AcceptLayer;

/**
 * The bytes under a layered socket's input stream (TLS: the network side of an {@code SSLSocket}),
 * for a reader that takes what has arrived without waiting ({@link StreamWire#readNow}) where the
 * layered stream's own {@code available()} does not count them: an {@code SSLSocket} counts the bytes
 * it decrypted, not the records that arrived and are not decrypted yet. With one, a wire's look sees
 * every byte that has arrived ({@link ws.transport.stream.Wire#readNowSeesAll}).
 */
public interface LayeredInput {

    /** Whether bytes have arrived that the layer has not read yet: one {@code FIONREAD} at most. */
    boolean arrived() throws IOException;

    /**
     * While on, a read of the layered stream on the calling thread that would wait for bytes not yet
     * arrived throws a {@link java.net.SocketTimeoutException} at once instead, as a read timeout
     * would, and the layer stays usable as after a timeout (an {@code SSLSocket} keeps what it read of
     * a record, and goes on with it in the next read). Other threads' reads wait as before.
     */
    void timeOutAtOnce(boolean on);

    /** An {@link AcceptLayer} that gives the input under each socket it wraps. */
    interface Layer extends AcceptLayer {

        /** Wraps {@code accepted} as {@link #wrap} does, with the input under the result. */
        Wrapped open(Socket accepted) throws IOException;

        @Override
        default Socket wrap(Socket accepted) throws IOException {
            return open(accepted).socket();
        }
    }

    /** A wrapped socket and the input under it. */
    record Wrapped(Socket socket, LayeredInput input) {
    }
}
