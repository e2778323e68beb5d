/**
 * {@code wss://}: TLS for the socket transports (blocking and virtual threads: an {@code SSLEngine} over
 * a server's accepted channel, an {@code SSLSocket} on a client) and the event-loop transport (an
 * {@code SSLEngine} on the loops), servers and clients, PEM or key
 * stores, mutual TLS, certificate reload, and one-call development certificates. See {@link ws.transport.tls}.
 *
 * <p>With this module on the module path, a client of any transport connects to
 * {@code wss://} URIs with the system's trust store (it provides the socket transports' default TLS
 * client layer). It is the only module of the SDK that can use BouncyCastle, and only optionally:
 * for development certificates ({@link ws.transport.tls.DevCertificate}, which says how to add it).
 */
module ws.transport.tls {
    requires transitive ws.protocol;
    // The socket transports: TLS is a layer over their values (LayeredTransport, AcceptLayer, ClientLayer);
    // their internal package is exported to this module only for the default wss:// layer (SocketLayerProvider).
    requires ws.transport.blocking;
    // the event-loop transport: TLS is its layer too (an SSLEngine per connection, ws.transport.eventloop.layer)
    requires ws.transport.eventloop;
    requires org.slf4j;
    // Optional: development certificates (DevCertificate) alone are built with BouncyCastle, loaded
    // only when one is asked for. PEM, key stores and TLS itself need only the JDK, so an application
    // serving wss:// resolves no BouncyCastle module and its jlink image carries none.
    requires static org.bouncycastle.provider;
    requires static org.bouncycastle.pkix;
    requires static org.bouncycastle.util;

    exports ws.transport.tls;

    provides ws.transport.blocking.internal.SocketLayerProvider with ws.transport.tls.DefaultClientLayer.Provider;
    provides ws.transport.eventloop.layer.DefaultTlsProvider with ws.transport.tls.DefaultClientLayer.LoopProvider;
}
