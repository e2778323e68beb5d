package ws.transport.tls.internal;

import java.time.Duration;
import ws.transport.blocking.internal.SocketLayerProvider;
import ws.transport.tls.TlsClientConfig;

/**
 * What makes {@code wss://} work on a plain socket transport's client when this module is installed:
 * the client layer with {@link TlsClientConfig#systemDefault()} (the system's trust store, SNI and
 * host name verification).
 */
public final class DefaultClientLayer implements SocketLayerProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public DefaultClientLayer() {
    }

    @Override
    public ws.transport.blocking.ClientLayer defaultClientLayer(Duration handshakeTimeout) {
        return new ClientLayer(TlsClientConfig.systemDefault(), handshakeTimeout);
    }
}
