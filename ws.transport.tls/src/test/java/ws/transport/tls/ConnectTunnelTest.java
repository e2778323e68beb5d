package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.ProxyException;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.layer.HttpConnectTunnel;
import ws.transport.blocking.layer.LayeredTransport;

/**
 * Client layers: TCP, then an HTTP CONNECT tunnel (RFC 9110 section 9.3.6), then TLS for wss://, each
 * a layer of one connect path, through an in-process proxy.
 */
class ConnectTunnelTest {

    static LayeredTransport viaProxy(Transport base, TestConnectProxy proxy) {
        return ((LayeredTransport) base).withClientLayers(HttpConnectTunnel.through(proxy.httpProxy()));
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void wsThroughTheTunnel(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketServer server = WebSocketServer.builder().route("/echo", new TlsSupport.Echo())
                     .connection(TlsSupport.fast()).transport(base).start();
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast())
                     .transport(viaProxy(base, proxy)).build()) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), inbox));
            ws.sendText("through the proxy");
            assertEquals("through the proxy", inbox.next());
            assertEquals(List.of("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1"), proxy.requests());
            await(ws.close());
        }
    }

    /** TLS runs over the tunnel, to the origin: SNI and the host name check name the origin, not the proxy. */
    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void wssThroughTheTunnelChecksTheOrigin(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast())
                     .transport(TlsTransport.client(LOCALHOST.clientConfig()).over(viaProxy(base, proxy))).build()) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(TlsSupport.wss("localhost", server), inbox));
            ws.sendText("tunnelled TLS");
            assertEquals("tunnelled TLS", inbox.next());
            assertEquals(List.of("CONNECT localhost:" + server.port() + " HTTP/1.1"), proxy.requests());
            WebSocket serverSide = server.connections().iterator().next();
            ExtendedSSLSession session = (ExtendedSSLSession) serverSide.tlsSession().orElseThrow();
            assertEquals(List.of(new SNIHostName("localhost")), session.getRequestedServerNames());
            await(ws.close());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void aRefusedTunnelFailsTheConnectWithTheProxysStatus(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast())
                     .transport(viaProxy(base, proxy)).build()) {
            proxy.refuseWith(407);
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            CompletableFuture<WebSocket> connect = client.connect(URI.create("ws://origin.example:80/"), inbox);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            ProxyException refused = assertInstanceOf(ProxyException.class, failed.getCause());
            assertEquals(ProxyException.Reason.AUTHENTICATION_FAILED, refused.reason());
            assertEquals(407, refused.status());
            assertTrue(refused.getMessage().contains("requires authentication for CONNECT origin.example:80 (407) and no credentials"),
                    refused.getMessage());
            assertEquals(List.of("CONNECT origin.example:80 HTTP/1.1"), proxy.requests(),
                    "the origin's name goes to the proxy unresolved");
        }
    }
}
