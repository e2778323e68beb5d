package ws.transport.blocking.layer;

import java.io.IOException;
import java.net.Socket;

/**
 * What a socket transport's server runs over each accepted TCP socket before the HTTP and WebSocket
 * bytes: TLS (ws.transport.tls). It runs on the connection's own thread, never on the accept thread,
 * within the handshake timeout.
 */
@FunctionalInterface
public interface AcceptLayer {

    /** Returns {@code accepted}, or a socket wrapping it (an {@code SSLSocket} after its handshake). */
    Socket wrap(Socket accepted) throws IOException;
}
