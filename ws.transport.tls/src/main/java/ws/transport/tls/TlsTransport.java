package ws.transport.tls;

import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import ws.protocol.api.ClientOptions;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.layer.LayeredTransport;
import ws.transport.eventloop.EventLoopTransport;

/**
 * {@code wss://}: TLS below the WebSocket bytes of a socket transport (blocking or virtual threads) or
 * of the event-loop transport, so that servers and clients are built and used exactly as over
 * {@code ws://}:
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .route("/chat", listener)
 *         .transport(TlsTransport.server(TlsServerConfig.pem(chainPem, keyPem)))  // over the default transport
 *         .start();
 *
 * WebSocketClient client = WebSocketClient.builder()
 *         .transport(TlsTransport.client(TlsClientConfig.trusting(caPem)).over(new BlockingTransport()))
 *         .build();
 * client.connect(URI.create("wss://chat.example.com/chat"), listener);
 * }</pre>
 *
 * <p>A client of any socket transport also connects to {@code wss://} without this class, with
 * {@link TlsClientConfig#systemDefault()}, whenever this module is on the module path: use this
 * class for another trust store, a client certificate, or the insecure development mode.
 *
 * <p>On a server, the TLS handshake of each connection runs on that connection's own thread, never
 * on the accept thread, within the connection's
 * {@linkplain ws.protocol.api.ConnectionOptions#handshakeTimeout() handshake timeout}: a client that
 * stalls or crawls through its handshake holds up nobody and is closed at the timeout. A client
 * speaking plain HTTP gets a 400 in plain text. Failures are logged in one line naming the cause
 * and the peer, and surface as {@link TlsHandshakeException}s; the connection then ends with status
 * 1015. The peer's certificates are in {@link WebSocket#tlsSession()} (see
 * {@link #peerCertificates(WebSocket)}).
 *
 * <p>Not a {@link java.util.ServiceLoader} service: it is chosen in code, never as a default.
 */
public final class TlsTransport implements Transport {
    private final TlsServerConfig server;
    private final TlsClientConfig client;
    private final Transport base;
    /** The layers of the servers started with this transport (weakly: a stopped server is forgotten). */
    private final Map<WebSocketServer, ServerLayer> serverLayers = Collections.synchronizedMap(new WeakHashMap<>());

    private TlsTransport(TlsServerConfig server, TlsClientConfig client, Transport base) {
        this.server = server;
        this.client = Objects.requireNonNull(client, "client");
        if (base instanceof TlsTransport) {
            throw new IllegalArgumentException("TLS over TLS: the base of a TlsTransport must be a plain transport");
        }
        this.base = base;
    }

    /**
     * A transport whose servers speak TLS with {@code config}, over the default transport (its
     * clients use {@link TlsClientConfig#systemDefault()} for {@code wss://}).
     */
    public static TlsTransport server(TlsServerConfig config) {
        return new TlsTransport(Objects.requireNonNull(config, "config"), TlsClientConfig.systemDefault(), null);
    }

    /** A transport whose clients connect to {@code wss://} with {@code config}, over the default transport. */
    public static TlsTransport client(TlsClientConfig config) {
        return new TlsTransport(null, Objects.requireNonNull(config, "config"), null);
    }

    /**
     * This transport over {@code transport}: a socket transport ({@code BlockingTransport},
     * {@code VirtualThreadTransport}, or {@code Transport.named("blocking")}), where TLS runs on each
     * connection's own thread (an {@code SSLEngine} over a server's accepted channel, an
     * {@code SSLSocket} around a client's socket), or an {@code EventLoopTransport}, where an
     * {@code SSLEngine} runs on the connection's loop without blocking it (its delegated tasks on
     * virtual threads). The configuration, the errors and the certificate reloading are the same.
     *
     * @throws IllegalArgumentException for a transport that is neither
     */
    public TlsTransport over(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (!(transport instanceof EventLoopTransport)) {
            layered(transport);
        }
        return new TlsTransport(server, client, transport);
    }

    /** This transport with another client configuration. */
    public TlsTransport withClient(TlsClientConfig config) {
        return new TlsTransport(server, config, base);
    }

    /** This transport with a server configuration. */
    public TlsTransport withServer(TlsServerConfig config) {
        return new TlsTransport(Objects.requireNonNull(config, "config"), client, base);
    }

    /** The server configuration, or {@code null} for a client-only transport. */
    public TlsServerConfig serverConfig() {
        return server;
    }

    /** The client configuration. */
    public TlsClientConfig clientConfig() {
        return client;
    }

    /** {@code "<base>+tls"}: {@code "virtual+tls"}, {@code "blocking+tls"}, {@code "eventloop+tls"}. */
    @Override
    public String name() {
        return baseTransport().name() + "+tls";
    }

    /** Below every installed transport: TLS is chosen in code, never by default. */
    @Override
    public int priority() {
        return -100;
    }

    /**
     * Starts a TLS server: the key material is read now.
     *
     * @throws IOException           when the key or certificate files do not load (the message names them), or binding fails
     * @throws IllegalStateException for a client-only transport
     */
    @Override
    public WebSocketServer startServer(ServerOptions options) throws IOException {
        if (server == null) {
            throw new IllegalStateException("this TLS transport has no server configuration: use TlsTransport.server(...)");
        }
        ServerLayer layer = new ServerLayer(server, options.connection().handshakeTimeout());
        Transport base = baseTransport();
        WebSocketServer started = base instanceof EventLoopTransport loops
                ? loops.withTls(name(), LoopLayers.server(layer), null).startServer(options)
                : layered(base).withTls(name(), layer, null).startServer(options);
        serverLayers.put(started, layer);
        return started;
    }

    /**
     * A client that connects to {@code wss://} URIs with the client configuration (and to {@code ws://}
     * URIs without TLS). Its connections run on the base transport's threads (or loops).
     *
     * @throws IllegalArgumentException when the trust store or client certificate files do not load
     */
    @Override
    public WebSocketClient newClient(ClientOptions options) {
        ClientLayer layer = new ClientLayer(client, options.connection().handshakeTimeout());
        Transport base = baseTransport();
        return base instanceof EventLoopTransport loops
                ? loops.withTls(name(), null, LoopLayers.client(layer)).newClient(options)
                : layered(base).withTls(name(), null, layer).newClient(options);
    }

    /**
     * Reloads the certificate of every running server of this transport now (they also reload by
     * themselves when the files change).
     *
     * @throws IOException when the files do not load; the previous certificate stays in use
     */
    public void reloadCertificates() throws IOException {
        List<ServerLayer> layers;
        synchronized (serverLayers) {
            layers = List.copyOf(serverLayers.values());
        }
        for (ServerLayer layer : layers) {
            layer.reload();
        }
    }

    /**
     * The peer's certificate chain (leaf first) of a connection: the server's on a client, the
     * client's on a server with client authentication; empty for {@code ws://} and for a client that
     * sent none.
     */
    public static List<X509Certificate> peerCertificates(WebSocket webSocket) {
        SSLSession session = webSocket.tlsSession().orElse(null);
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }

    private Transport baseTransport() {
        return base != null ? base : Transport.defaultTransport();
    }

    /** The transport TLS runs over: a value, checked here, never looked up by name. */
    private static LayeredTransport layered(Transport transport) {
        if (transport instanceof TlsTransport) {
            throw new IllegalArgumentException("TLS over TLS: the base of a TlsTransport must be a plain transport");
        }
        if (!(transport instanceof LayeredTransport layered)) {
            throw new IllegalArgumentException("TLS runs over the socket transports (blocking, virtual) and the event-loop "
                    + "transport; the transport \"" + transport.name() + "\" (" + transport + ") is not one");
        }
        return layered;
    }

    @Override
    public String toString() {
        return "TlsTransport[" + (base == null ? "default transport" : base.name())
                + (server == null ? "" : ", " + server) + ", " + client + "]";
    }
}
