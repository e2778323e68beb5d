package ws.transport.eventloop.layer;

import java.time.Duration;

/**
 * Found with {@link java.util.ServiceLoader}: the TLS layer a client of the event-loop transport uses
 * for {@code wss://} URIs when it was given none. ws.transport.tls provides one (the system's trust
 * store, SNI, host name verification), so that a plain {@code EventLoopTransport} client connects to
 * {@code wss://} whenever that module is installed, as the socket transports' clients do.
 */
public interface DefaultTlsProvider {

    /**
     * A client TLS layer with default settings.
     *
     * @param handshakeTimeout the client's handshake timeout (which also bounds the TLS handshake)
     */
    ChannelLayer defaultClientLayer(Duration handshakeTimeout);
}
