package ws.transport.blocking.internal;

import java.time.Duration;
import ws.transport.blocking.layer.ClientLayer;

/**
 * Found with {@link java.util.ServiceLoader}: the TLS client layer a client uses for {@code wss://}
 * URIs when its transport has no TLS of its own. ws.transport.tls provides one (the system's trust
 * store, SNI, host name verification), so that {@code WebSocketClient.create().connect("wss://...")}
 * works whenever that module is installed.
 */
public interface SocketLayerProvider {

    /**
     * A client TLS layer with default settings.
     *
     * @param handshakeTimeout the client's handshake timeout (which also bounds the layer's handshake)
     */
    ClientLayer defaultClientLayer(Duration handshakeTimeout);
}
