package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.BlockingTransport;

/** wss:// end to end on both socket transports, with the same user API as ws://. */
class WssEchoTest {

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void echoesTextAndLargeBinaryOverTls(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(TlsSupport.wss(server), inbox));
            ws.sendText("héllo over TLS");
            assertEquals("héllo over TLS", inbox.next());
            byte[] big = new byte[3 << 20];
            new Random(7).nextBytes(big);
            ws.sendBinary(ByteBuffer.wrap(big));
            assertArrayEquals(big, (byte[]) inbox.next());
            assertEquals("TLSv1.3", ws.tlsSession().orElseThrow().getProtocol());
            assertEquals(LOCALHOST.certificate(), TlsTransport.peerCertificates(ws).get(0));
            WebSocket serverSide = server.connections().iterator().next();
            assertTrue(serverSide.tlsSession().isPresent(), "the server's connection has its TLS session");
            assertEquals(List.of(), TlsTransport.peerCertificates(serverSide), "no client certificate was asked for");
            assertEquals(base.name() + "+tls", server.options().transport().name());
            CloseStatus status = await(ws.close());
            assertEquals(CloseCodes.NORMAL_CLOSURE, status.code());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void eitherVersionAlone(String version) throws Exception {
        Transport base = new BlockingTransport();
        TlsServerConfig config = TlsServerConfig.builder().keyMaterial(LOCALHOST.chain(), LOCALHOST.privateKey())
                .protocols(version).build();
        try (WebSocketServer server = TlsSupport.echoServer(base, config);
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(TlsSupport.wss(server), inbox));
            ws.sendText("v");
            assertEquals("v", inbox.next());
            assertEquals(version, ws.tlsSession().orElseThrow().getProtocol());
        }
    }

    @Test
    void olderVersionsAreRefusedInConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsServerConfig.builder().protocols("TLSv1.1"));
        assertTrue(e.getMessage().contains("TLSv1.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsClientConfig.builder().protocols("SSLv3"));
    }

    @Test
    void plainWsHasNoSessionAndATlsClientSpeaksOnlyWss() throws Exception {
        Transport base = new BlockingTransport();
        try (WebSocketServer server = WebSocketServer.builder().route("/echo", new TlsSupport.Echo())
                .connection(TlsSupport.fast()).transport(base).start();
             WebSocketClient plain = WebSocketClient.builder().connection(TlsSupport.fast()).transport(base).build();
             WebSocketClient tls = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(plain.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), inbox));
            ws.sendText("plain");
            assertEquals("plain", inbox.next());
            assertTrue(ws.tlsSession().isEmpty());
            assertEquals(List.of(), TlsTransport.peerCertificates(ws));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tls.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new TlsSupport.Inbox()));
            assertTrue(e.getMessage().contains("is not wss"), e.getMessage());
        }
    }

    /**
     * A client made without TlsTransport connects to wss:// with the default layer this module
     * provides (the system trust store), found with ServiceLoader: a development certificate is not
     * in the system trust store, so it is refused as untrusted, which shows the layer ran.
     */
    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void defaultClientSpeaksWssWithTheSystemTrustStore(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast()).transport(base).build()) {
            TlsHandshakeException e = TlsSupport.refused(client.connect(TlsSupport.wss("localhost", server),
                    new TlsSupport.Inbox()));
            assertEquals(TlsHandshakeException.Reason.UNTRUSTED, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("server localhost:" + server.port()), e.getMessage());
            // and the server is undisturbed
            try (WebSocketClient good = TlsSupport.client(base, LOCALHOST.clientConfig())) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(good.connect(TlsSupport.wss(server), inbox)).sendText("still here");
                assertEquals("still here", inbox.next());
            }
        }
    }

    @Test
    void closeStatusOfAFailedTlsHandshakeIs1015() throws Exception {
        Transport base = new BlockingTransport();
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             WebSocketClient client = TlsSupport.client(base, DevCertificate.create().clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            CompletableFuture<WebSocket> connect = client.connect(TlsSupport.wss(server), inbox);
            TlsSupport.refused(connect);
            assertEquals(CloseCodes.TLS_HANDSHAKE, inbox.closed.get(10, TimeUnit.SECONDS).code());
        }
    }
}
