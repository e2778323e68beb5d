package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * The client checks the server's certificate (RFC 6455 section 4.1: a wss:// client performs a TLS
 * handshake and verifies the server's name): each failure ends that connection with an exception
 * naming the cause, and the server goes on serving others.
 */
class CertificateVerificationTest {

    /** Connecting with {@code clientConfig} to a server presenting {@code presented} fails for {@code reason}. */
    private static TlsHandshakeException refusedWith(Transport base, DevCertificate presented, TlsClientConfig clientConfig,
                                                    String host, TlsHandshakeException.Reason reason) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, presented.serverConfig());
             WebSocketClient client = TlsSupport.client(base, clientConfig)) {
            TlsHandshakeException e = TlsSupport.refused(client.connect(TlsSupport.wss(host, server), new TlsSupport.Inbox()));
            assertEquals(reason, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("TLS handshake with server " + host + ":" + server.port() + " failed: "),
                    e.getMessage());
            assertEquals(0, server.connectionCount());
            // nothing else is disturbed: a client that trusts the certificate is served
            try (WebSocketClient good = TlsSupport.client(base, TlsClientConfig.insecure())) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(good.connect(TlsSupport.wss("127.0.0.1", server), inbox)).sendText("ok");
                assertEquals("ok", inbox.next());
            }
            return e;
        }
    }

    @Nested
    class Trust {
        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void untrustedCertificateIsRefused(Transport base) throws Exception {
            TlsHandshakeException e = refusedWith(base, LOCALHOST, DevCertificate.create().clientConfig(), "localhost",
                    TlsHandshakeException.Reason.UNTRUSTED);
            assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
        }

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void insecureModeTrustsAnything(Transport base) throws Exception {
            try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
                 WebSocketClient client = TlsSupport.client(base, TlsClientConfig.insecure())) {
                for (String host : new String[] {"127.0.0.1", "localhost"}) {
                    TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                    WebSocket ws = await(client.connect(TlsSupport.wss(host, server), inbox));
                    ws.sendText(host);
                    assertEquals(host, inbox.next());
                }
            }
            assertTrue(TlsClientConfig.insecure().isInsecure());
            assertTrue(!TlsClientConfig.insecure().hostnameVerification());
        }

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void caFilePem(Transport base) throws Exception {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ws-tls-ca");
            java.nio.file.Path ca = dir.resolve("ca.pem");
            java.nio.file.Files.writeString(ca, LOCALHOST.certificatePem());
            try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
                 WebSocketClient client = TlsSupport.client(base, TlsClientConfig.trusting(ca))) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(client.connect(TlsSupport.wss("localhost", server), inbox)).sendText("ca");
                assertEquals("ca", inbox.next());
            }
        }
    }

    /**
     * A certificate's dates are checked along the chain below the trust anchor (a trust anchor
     * itself is trusted as configured, dates or not, as in PKIX), so these are signed by a CA.
     */
    @Nested
    class Validity {
        private static final DevCertificate CA = DevCertificate.builder().certificateAuthority()
                .commonName("ws test CA").onlyNames().build();

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void expiredCertificateIsRefused(Transport base) throws Exception {
            Instant now = Instant.now();
            DevCertificate expired = DevCertificate.builder().issuer(CA)
                    .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).build();
            TlsHandshakeException e = refusedWith(base, expired, CA.clientConfig(), "localhost",
                    TlsHandshakeException.Reason.EXPIRED);
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
        }

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void certificateNotYetValidIsRefused(Transport base) throws Exception {
            Instant now = Instant.now();
            DevCertificate future = DevCertificate.builder().issuer(CA)
                    .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).build();
            refusedWith(base, future, CA.clientConfig(), "localhost", TlsHandshakeException.Reason.NOT_YET_VALID);
        }
    }

    @Nested
    class HostName {
        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void nameNotInTheCertificateIsRefused(Transport base) throws Exception {
            DevCertificate other = DevCertificate.builder().onlyNames("example.com").commonName("example.com").build();
            TlsHandshakeException e = refusedWith(base, other, other.clientConfig(), "localhost",
                    TlsHandshakeException.Reason.HOSTNAME_MISMATCH);
            assertTrue(e.getMessage().contains("not for the host"), e.getMessage());
        }

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void ipAddressNotInTheCertificateIsRefused(Transport base) throws Exception {
            DevCertificate nameOnly = DevCertificate.builder().onlyNames("localhost").build();
            refusedWith(base, nameOnly, nameOnly.clientConfig(), "127.0.0.1", TlsHandshakeException.Reason.HOSTNAME_MISMATCH);
        }

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void sniCarriesTheHostName(Transport base) throws Exception {
            java.util.concurrent.CompletableFuture<java.util.List<javax.net.ssl.SNIServerName>> seen =
                    new java.util.concurrent.CompletableFuture<>();
            try (WebSocketServer server = ws.protocol.api.WebSocketServer.builder()
                    .route("/echo", new ws.protocol.api.WebSocketListener() {
                        @Override
                        public void onOpen(WebSocket webSocket) {
                            javax.net.ssl.SSLSession session = webSocket.tlsSession().orElseThrow();
                            seen.complete(((javax.net.ssl.ExtendedSSLSession) session).getRequestedServerNames());
                        }
                    })
                    .connection(TlsSupport.fast())
                    .transport(TlsTransport.server(LOCALHOST.serverConfig()).over(base)).start();
                 WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
                await(client.connect(URI.create("wss://localhost:" + server.port() + "/echo"), new TlsSupport.Inbox()));
                assertEquals(java.util.List.of(new javax.net.ssl.SNIHostName("localhost")), await(seen));
            }
        }

        @ParameterizedTest
        @MethodSource("ws.transport.tls.TlsSupport#transports")
        void verificationCanBeTurnedOffButTrustStillHolds(Transport base) throws Exception {
            DevCertificate other = DevCertificate.builder().onlyNames("example.com").build();
            try (WebSocketServer server = TlsSupport.echoServer(base, other.serverConfig());
                 WebSocketClient client = TlsSupport.client(base, TlsClientConfig.builder()
                         .trustedCertificates(java.util.List.of(other.certificate())).hostnameVerification(false).build())) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(client.connect(TlsSupport.wss("localhost", server), inbox)).sendText("x");
                assertEquals("x", inbox.next());
            }
        }
    }
}
