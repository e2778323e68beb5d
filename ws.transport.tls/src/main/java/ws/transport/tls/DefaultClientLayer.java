package ws.transport.tls;

import java.time.Duration;
import ws.transport.blocking.internal.SocketLayer;
import ws.transport.blocking.internal.SocketLayerProvider;

/**
 * What makes {@code wss://} work on a plain socket transport's client when this module is installed:
 * the client layer with {@link TlsClientConfig#systemDefault()} (the system's trust store, SNI and
 * host name verification).
 */
final class DefaultClientLayer {

    private DefaultClientLayer() {
    }

    /**
     * The {@link java.util.ServiceLoader} provider of ws.transport.blocking's {@link SocketLayerProvider}.
     * Public as a provider must be, nested in a package-private class so that it is no part of this
     * package's API: it lives next to the {@link ClientLayer} it makes, with no internal package that
     * would have to reach back into this one.
     */
    public static final class Provider implements SocketLayerProvider {

        /** Made by {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public SocketLayer defaultClientLayer(Duration handshakeTimeout) {
            return new ClientLayer(TlsClientConfig.systemDefault(), handshakeTimeout);
        }
    }
}
