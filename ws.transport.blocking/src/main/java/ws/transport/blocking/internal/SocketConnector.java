package ws.transport.blocking.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ws.transport.blocking.layer.ClientLayer;
import ws.transport.blocking.layer.HttpConnectTunnel;
import ws.transport.blocking.layer.RetryConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ProxyException;
import ws.protocol.driver.ConnectionDriver;
import ws.transport.stream.StreamClient;
import ws.transport.stream.Timers;
import ws.transport.stream.Wire;

/**
 * The client connect path of a socket transport, on the connection's own thread: TCP, then the
 * tunnel through the HTTP proxy the client options choose, the transport's client layers, then the scheme's layer (TLS for {@code wss://}). For {@code wss://} on a transport without a TLS
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
        layerFor(uri, null);
    }

    /**
     * TCP to where the chain's first layer routes, then each layer in order ({@link ClientLayer}):
     * the tunnel through the proxy the options choose for this URI, the transport's own layers, the
     * scheme's TLS layer last for {@code wss://}. A layer may ask once to start over on a new TCP
     * connection with a replacement of itself ({@link RetryConnectException}: a proxy's 407).
     */
    @Override
    public Wire connect(URI uri, ConnectionDriver connection, ClientOptions options) throws IOException {
        SocketLayer layer = layerFor(uri, options.connection().handshakeTimeout());
        List<ClientLayer> chain = new ArrayList<>();
        options.proxy().proxyFor(uri).ifPresent(proxy -> chain.add(HttpConnectTunnel.through(proxy)));
        chain.addAll(settings.clientLayers());
        if (layer.client() != null) {
            chain.add(layer.client());
        }
        String host = uri.getHost();
        String bareHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() == -1 ? layer.defaultPort() : uri.getPort();
        InetSocketAddress origin = InetSocketAddress.createUnresolved(bareHost, port);
        try {
            return connect(chain, origin, connection, options);
        } catch (RetryConnectException retry) {
            LOG.debug("connecting to {} again: {}", uri, retry.getMessage());
            try {
                return connect(chain, origin, connection, options);
            } catch (RetryConnectException again) {
                throw new IOException("a layer asked twice to start the connect to " + uri + " over: " + again.getMessage());
            }
        }
    }

    /** One attempt over {@code chain}; a layer that asks to start over is replaced in it before the exception passes on. */
    private Wire connect(List<ClientLayer> chain, InetSocketAddress origin, ConnectionDriver connection,
                         ClientOptions options) throws IOException {
        // what each layer must reach, from the origin down to what TCP connects to
        InetSocketAddress[] targets = new InetSocketAddress[chain.size() + 1];
        targets[chain.size()] = origin;
        for (int i = chain.size() - 1; i >= 0; i--) {
            targets[i] = chain.get(i).route(targets[i + 1]);
        }
        SocketChannel channel;
        try {
            channel = connectTcp(connection, targets[0], options.connectTimeout());
        } catch (IOException e) {
            if (!chain.isEmpty() && chain.get(0) instanceof HttpConnectTunnel tunnel) {
                throw new ProxyException(ProxyException.Reason.UNREACHABLE, 0, "cannot reach the proxy " + tunnel.proxy()
                        + " (to CONNECT " + targets[1].getHostString() + ":" + targets[1].getPort() + "): " + e, e);
            }
            throw e;
        }
        int i = 0;
        try {
            java.net.Socket socket = channel.socket();
            for (; i < chain.size(); i++) {
                socket = chain.get(i).open(socket, targets[i + 1]);
            }
            return socket == channel.socket() ? new ChannelWire(channel) : new StreamWire(socket, settings.gatherBufferSize());
        } catch (RetryConnectException retry) {
            channel.close();
            chain.set(i, retry.replacement());
            throw retry;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
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
            // checking only (no timeout given): the provider is there, its layer is made per connection
            return handshakeTimeout == null ? own : SocketLayer.tls(null, provider.defaultClientLayer(handshakeTimeout));
        }
        throw new IllegalArgumentException("scheme \"" + uri.getScheme() + "\" of " + uri + " is not "
                + own.scheme() + " (the " + settings.name() + " transport)");
    }

    /** The installed provider of the default TLS client layer, looked up once. */
    private static final class DefaultTls {
        static final java.util.Optional<SocketLayerProvider> PROVIDER = java.util.ServiceLoader
                .load(SocketLayerProvider.class, SocketLayerProvider.class.getClassLoader()).findFirst();
    }

    /** Connects on the connection's own thread (an abort closes the channel, failing the connect). */
    private SocketChannel connectTcp(ConnectionDriver opening, InetSocketAddress address, Duration timeout)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        opening.connecting(channel);
        try {
            SocketServer.configure(channel.socket(), settings);
            InetSocketAddress target = new InetSocketAddress(address.getHostString(), address.getPort());
            if (target.isUnresolved()) {
                throw new java.net.UnknownHostException(address.getHostString());
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
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
