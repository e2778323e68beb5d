/**
 * {@code wss://} for the socket transports: {@link ws.transport.tls.TlsTransport} puts TLS (the JDK's
 * JSSE, TLS 1.3 and 1.2 only) between the socket and the WebSocket loop, for servers and clients, on
 * platform or virtual threads; {@link ws.transport.tls.TlsServerConfig} and
 * {@link ws.transport.tls.TlsClientConfig} say what is presented and trusted (PEM files, key stores,
 * mutual TLS); {@link ws.transport.tls.DevCertificate} makes a certificate for development in one call;
 * {@link ws.transport.tls.Pem} reads and writes PEM.
 *
 * <p>This is the only module of the SDK that needs BouncyCastle (to build certificates and to parse
 * the less common PEM forms); BouncyCastle's provider is used as an instance, never registered with
 * {@link java.security.Security}. An application that only speaks {@code ws://} does not need this
 * module, and its jlink image has no BouncyCastle in it.
 */
package ws.transport.tls;
