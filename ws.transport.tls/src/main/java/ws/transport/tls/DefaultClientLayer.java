package ws.transport.tls;

import java.time.Duration;
import ws.transport.blocking.internal.SocketLayerProvider;
import ws.transport.eventloop.layer.ChannelLayer;
import ws.transport.eventloop.layer.DefaultTlsProvider;

/**
 * What makes {@code wss://} work on a plain socket transport's (or event-loop transport's) client when this module is installed:
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
        public ws.transport.blocking.layer.ClientLayer defaultClientLayer(Duration handshakeTimeout) {
            return new ClientLayer(TlsClientConfig.systemDefault(), handshakeTimeout);
        }
    }

    /** The same for the event-loop transport's clients: the {@link java.util.ServiceLoader} provider of its {@link DefaultTlsProvider}. */
    public static final class LoopProvider implements DefaultTlsProvider {

        /** Made by {@link java.util.ServiceLoader}. */
        public LoopProvider() {
        }

        @Override
        public ChannelLayer defaultClientLayer(Duration handshakeTimeout) {
            return LoopLayers.client(new ClientLayer(TlsClientConfig.systemDefault(), handshakeTimeout));
        }
    }
}
