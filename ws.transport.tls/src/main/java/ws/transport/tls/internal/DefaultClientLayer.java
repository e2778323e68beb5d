package ws.transport.tls.internal;

import ws.transport.blocking.internal.SocketLayer;
import ws.transport.tls.TlsClientConfig;

/**
 * What makes {@code wss://} work on a plain socket transport's client when this module is installed:
 * the client layer with {@link TlsClientConfig#systemDefault()} (the system's trust store, SNI and
 * host name verification).
 */
public final class DefaultClientLayer implements SocketLayer.Provider {

    /** Made by {@link java.util.ServiceLoader}. */
    public DefaultClientLayer() {
    }

    @Override
    public SocketLayer defaultClientLayer() {
        return new ClientLayer(TlsClientConfig.systemDefault());
    }
}
