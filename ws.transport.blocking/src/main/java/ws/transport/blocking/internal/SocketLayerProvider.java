package ws.transport.blocking.internal;

import java.time.Duration;

/**
 * Found with {@link java.util.ServiceLoader}: the layer a client uses for {@code wss://} URIs when
 * its transport has no TLS layer of its own. ws.transport.tls provides one (the system's trust
 * store, SNI, host name verification), so that {@code WebSocketClient.create().connect("wss://...")}
 * works whenever that module is installed.
 */
public interface SocketLayerProvider {

    /**
     * A client layer for {@code wss://} with default settings.
     *
     * @param handshakeTimeout the client's handshake timeout (which also bounds the layer's handshake)
     */
    SocketLayer defaultClientLayer(Duration handshakeTimeout);
}
