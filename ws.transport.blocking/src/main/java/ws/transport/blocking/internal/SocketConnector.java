package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.api.ClientOptions;
import ws.protocol.driver.ConnectionDriver;
import ws.transport.stream.StreamClient;
import ws.transport.stream.Timers;
import ws.transport.stream.Wire;

/**
 * The client connect path of a socket transport: TCP, then the transport's layer (TLS for
 * {@code wss://}), on the connection's own thread. For {@code wss://} on a transport without a TLS
 * layer, the default TLS client layer of ws.transport.tls is used when that module is installed.
 */
public final class SocketConnector implements StreamClient.Connector {
    private static final Logger LOG = LoggerFactory.getLogger(SocketConnector.class);

    private final TransportSettings settings;

    private SocketConnector(TransportSettings settings) {
        this.settings = settings;
    }

    /** A client of a socket transport with these settings; it starts no thread yet. */
    public static StreamClient client(ClientOptions options, TransportSettings settings) {
        return new StreamClient(options, settings.stream(), Timers.system(settings.name() + "-client"),
                new SocketConnector(settings));
    }

    /**
     * @throws IllegalArgumentException for a {@code wss://} URI without ws.transport.tls installed, or
     *                                  another scheme
     */
    @Override
    public void check(URI uri) {
        layerFor(uri, Duration.ofSeconds(1));
    }

    @Override
    public Wire connect(URI uri, ConnectionDriver connection, ClientOptions options) throws IOException {
        SocketLayer layer = layerFor(uri, options.connection().handshakeTimeout());
        String host = uri.getHost();
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() == -1 ? layer.defaultPort() : uri.getPort();
        return connectSocket(connection, bareHost, port, options.connectTimeout(), layer);
    }

    /**
     * The layer for a URI's scheme: the transport's own when it speaks that scheme; for
     * {@code wss://} on a plain transport, the default TLS client layer of ws.transport.tls when that
     * module is installed.
     */
    private SocketLayer layerFor(URI uri, Duration handshakeTimeout) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        SocketLayer own = settings.layer();
        if (scheme.equals(own.scheme())) {
            return own;
        }
        if (scheme.equals("wss") && own == SocketLayer.PLAIN) {
            SocketLayerProvider provider = DefaultTls.PROVIDER.orElseThrow(() -> new IllegalArgumentException(
                    "wss:// needs TLS: add the module ws.transport.tls to the module path (it is not installed), "
                            + "or use a ws:// URI, for " + uri));
            return provider.defaultClientLayer(handshakeTimeout);
        }
        throw new IllegalArgumentException("scheme \"" + uri.getScheme() + "\" of " + uri + " is not "
                + own.scheme() + " (the " + settings.name() + " transport)");
    }

    /** The installed provider of the default TLS client layer, looked up once. */
    private static final class DefaultTls {
        static final java.util.Optional<SocketLayerProvider> PROVIDER = java.util.ServiceLoader
                .load(SocketLayerProvider.class, SocketLayerProvider.class.getClassLoader()).findFirst();
    }

    /**
     * Connects on the connection's own thread (an abort closes the channel, failing the connect), then
     * wraps the socket in the layer within the handshake timeout.
     */
    private Wire connectSocket(ConnectionDriver opening, String host, int port, Duration timeout, SocketLayer layer)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        opening.connecting(channel);
        try {
            SocketServer.configure(channel.socket(), settings);
            InetSocketAddress target = new InetSocketAddress(host, port);
            if (target.isUnresolved()) {
                throw new java.net.UnknownHostException(host);
            }
            try {
                channel.socket().connect(target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            } catch (SocketTimeoutException e) {
                SocketTimeoutException named = new SocketTimeoutException("connect to " + target + " timed out after " + timeout);
                named.initCause(e);
                throw named;
            }
            LOG.debug("connected to {}", target);
            opening.handshakeStarts();
            if (layer == SocketLayer.PLAIN) {
                return new ChannelWire(channel);
            }
            java.net.Socket wrapped = layer.wrapConnected(channel.socket(), host, port);
            return wrapped == channel.socket() ? new ChannelWire(channel) : new StreamWire(wrapped, settings.gatherBufferSize());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
