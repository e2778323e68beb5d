package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.Socket;

/**
 * What a socket transport runs over TCP before the WebSocket bytes: nothing ({@link #PLAIN}, the
 * {@code ws} scheme), or TLS (the {@code wss} scheme, in ws.transport.tls). The wrapping runs on the
 * connection's own thread, never on the accept thread, and within the handshake timeout (the timer
 * closes the TCP socket, which fails a wrapping still under way).
 */
public interface SocketLayer {

    /** No layer: the loop reads and writes the socket channel itself (gathering writes). */
    SocketLayer PLAIN = new SocketLayer() {
        @Override
        public String scheme() {
            return "ws";
        }

        @Override
        public int defaultPort() {
            return 80;
        }

        @Override
        public Socket wrapAccepted(Socket accepted) {
            return accepted;
        }

        @Override
        public Socket wrapConnected(Socket connected, String host, int port) {
            return connected;
        }

        @Override
        public String toString() {
            return "plain";
        }
    };

    /** The URI scheme clients of this transport connect to: {@code "ws"}, {@code "wss"}. */
    String scheme();

    /** The port when a URI names none: 80 for {@code ws}, 443 for {@code wss}. */
    int defaultPort();

    /**
     * Wraps a socket the server accepted (a TLS server handshake, say). Returning {@code accepted}
     * itself means no layer.
     */
    Socket wrapAccepted(Socket accepted) throws IOException;

    /**
     * Wraps a client socket connected to {@code host}:{@code port} (a TLS client handshake with SNI
     * and hostname verification for {@code host}, say). Returning {@code connected} itself means no
     * layer.
     */
    Socket wrapConnected(Socket connected, String host, int port) throws IOException;
}
