/**
 * {@code wss://}: TLS around the sockets of the socket transports (blocking and virtual threads),
 * servers and clients, PEM or key stores, mutual TLS, certificate reload, and one-call development
 * certificates. See {@link ws.transport.tls}.
 *
 * <p>With this module on the module path, a client of any socket transport connects to
 * {@code wss://} URIs with the system's trust store (it provides the socket transports' default TLS
 * client layer). It is the only module of the SDK that requires BouncyCastle.
 */
module ws.transport.tls {
    requires transitive ws.protocol;
    // The socket loop: TLS is a SocketLayer under it (its internal package is exported to this module).
    requires ws.transport.blocking;
    requires org.slf4j;
    // Development certificates (X.509 building) and PEM parsing; used as an instance, never registered.
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;

    exports ws.transport.tls;

    provides ws.transport.blocking.internal.SocketLayerProvider with ws.transport.tls.DefaultClientLayer.Provider;
}
