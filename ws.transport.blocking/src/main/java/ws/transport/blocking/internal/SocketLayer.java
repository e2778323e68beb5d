package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * A layer between TCP and the WebSocket loop (TLS is the one there is): it turns a connected socket
 * into the socket the connection then runs over. This is the whole hook the TLS module
 * (ws.transport.tls) needs from the socket transports; the loop itself never knows about TLS.
 *
 * <p>Both methods run on the connection's own thread, never on the accept thread, so a peer that
 * stalls its handshake holds up nobody else. A server connection is opened with
 * {@link #serverSide} before its first byte is read, under the connection's handshake timer (whose
 * expiry closes the socket); a client's runs right after the TCP connect.
 */
public interface SocketLayer {

    /**
     * Turns a socket accepted by a server into the socket to read the opening handshake from.
     *
     * @param accepted the accepted TCP socket (blocking)
     * @param timeout  the connection's handshake timeout: the layer's own handshake must not take longer
     * @return the socket to run the connection over; closing it must close {@code accepted}
     * @throws IOException when the layer's handshake fails; the connection then ends (the exception
     *                     message names the cause)
     */
    Socket serverSide(Socket accepted, Duration timeout) throws IOException;

    /**
     * Turns a client's freshly connected socket into the socket to send the opening handshake on.
     *
     * @param connected the TCP socket connected to {@code uri}'s host and port
     * @param uri       the URI being connected to (its host is the name to verify and to send as SNI)
     * @param timeout   the connection's handshake timeout
     */
    Socket clientSide(Socket connected, URI uri, Duration timeout) throws IOException;

    /**
     * Found with {@link java.util.ServiceLoader}: the layer a client without one uses for
     * {@code wss://} URIs (the TLS module provides one with the system's trust store).
     */
    interface Provider {

        /** The client layer for {@code wss://} with default settings. */
        SocketLayer defaultClientLayer();
    }
}
