package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.await;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/** Client certificates: none, want, need; the chain the client showed is on the server's connection. */
class MutualTlsTest {
    private static final DevCertificate CA = DevCertificate.builder().certificateAuthority().commonName("ws test CA")
            .onlyNames().build();
    private static final DevCertificate SERVER = DevCertificate.builder().issuer(CA).build();
    private static final DevCertificate ALICE = DevCertificate.builder().issuer(CA).commonName("alice").onlyNames().build();
    private static final DevCertificate MALLORY = DevCertificate.builder().commonName("mallory").onlyNames().build();

    /** A server that answers each text with the common name of the client's certificate ("-" for none). */
    private static WebSocketServer server(Transport base, ClientAuth auth) throws java.io.IOException {
        TlsServerConfig config = TlsServerConfig.builder().keyMaterial(SERVER.chain(), SERVER.privateKey())
                .clientAuth(auth).trustedClientCertificates(List.of(CA.certificate())).build();
        return WebSocketServer.builder()
                .route("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        List<X509Certificate> chain = TlsTransport.peerCertificates(webSocket);
                        webSocket.sendText(chain.isEmpty() ? "-" : chain.get(0).getSubjectX500Principal().getName());
                    }
                })
                .connection(TlsSupport.fast())
                .transport(TlsTransport.server(config).over(base))
                .start();
    }

    private static TlsClientConfig.Builder trustingCa() {
        return TlsClientConfig.builder().trustedCertificates(List.of(CA.certificate()));
    }

    private static String whoAmI(WebSocketClient client, WebSocketServer server) throws Exception {
        TlsSupport.Inbox inbox = new TlsSupport.Inbox();
        WebSocket ws = await(client.connect(TlsSupport.wss("localhost", server), inbox));
        ws.sendText("who am I?");
        Object answer = inbox.next();
        ws.close();
        return (String) answer;
    }

    /**
     * The connection fails. Under TLS 1.3 the server's verdict on the client's certificate comes
     * after the client finished its half of the handshake, so the client learns it from its first
     * read (the server's alert: an SSLException naming it) or its first write (the server already
     * closed: an IOException); the server's log line names the cause either way.
     */
    private static Throwable refused(WebSocketClient client, WebSocketServer server) {
        CompletableFuture<WebSocket> connect = client.connect(TlsSupport.wss("localhost", server), new TlsSupport.Inbox());
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        assertInstanceOf(java.io.IOException.class, e.getCause(), () -> e.getCause().toString());
        return e.getCause();
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void needAcceptsATrustedClientCertificateAndShowsIt(Transport base) throws Exception {
        try (WebSocketServer server = server(base, ClientAuth.NEED);
             WebSocketClient client = TlsSupport.client(base, trustingCa()
                     .clientCertificate(ALICE.chain(), ALICE.privateKey()).build())) {
            assertTrue(whoAmI(client, server).contains("CN=alice"));
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void needRefusesAClientWithoutCertificate(Transport base) throws Exception {
        try (WebSocketServer server = server(base, ClientAuth.NEED);
             WebSocketClient client = TlsSupport.client(base, trustingCa().build())) {
            refused(client, server);
            assertEquals(0, server.connectionCount());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void needRefusesAClientWithoutCertificateOverTls12WithTheReasonNamed(Transport base) throws Exception {
        try (WebSocketServer server = server(base, ClientAuth.NEED);
             WebSocketClient client = TlsSupport.client(base, trustingCa().protocols("TLSv1.2").build())) {
            TlsHandshakeException e = TlsSupport.refused(client.connect(TlsSupport.wss("localhost", server),
                    new TlsSupport.Inbox()));
            assertEquals(TlsHandshakeException.Reason.CLIENT_CERTIFICATE_REQUIRED, e.reason(), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void needRefusesAnUntrustedClientCertificate(Transport base) throws Exception {
        try (WebSocketServer server = server(base, ClientAuth.NEED);
             WebSocketClient client = TlsSupport.client(base, trustingCa()
                     .clientCertificate(MALLORY.chain(), MALLORY.privateKey()).build())) {
            refused(client, server);
            // the server is undisturbed
            try (WebSocketClient alice = TlsSupport.client(base, trustingCa()
                    .clientCertificate(ALICE.chain(), ALICE.privateKey()).build())) {
                assertTrue(whoAmI(alice, server).contains("CN=alice"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void wantAcceptsBothAndShowsWhichItWas(Transport base) throws Exception {
        try (WebSocketServer server = server(base, ClientAuth.WANT);
             WebSocketClient anonymous = TlsSupport.client(base, trustingCa().build());
             WebSocketClient alice = TlsSupport.client(base, trustingCa()
                     .clientCertificate(ALICE.chain(), ALICE.privateKey()).build())) {
            assertEquals("-", whoAmI(anonymous, server));
            assertTrue(whoAmI(alice, server).contains("CN=alice"));
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void noneDoesNotAsk(Transport base) throws Exception {
        try (WebSocketServer server = server(base, ClientAuth.NONE);
             WebSocketClient alice = TlsSupport.client(base, trustingCa()
                     .clientCertificate(ALICE.chain(), ALICE.privateKey()).build())) {
            assertEquals("-", whoAmI(alice, server));
        }
    }
}
