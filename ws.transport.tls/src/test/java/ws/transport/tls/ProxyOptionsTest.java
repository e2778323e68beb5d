package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.ProxyException;
import ws.protocol.api.ProxyResolver;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * A proxy configured in the transport-neutral client options ({@code ClientOptions.Builder.proxy}),
 * honoured by the socket transports: CONNECT, Basic authentication after a 407, and each way a proxy
 * can fail a connect, named ({@link ProxyException.Reason}). Against an in-process proxy; the real
 * one (tinyproxy) is in ws.interop.
 */
class ProxyOptionsTest {
    private static final String ALICE = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr:t".getBytes(StandardCharsets.UTF_8));

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void wsThroughTheConfiguredProxy(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketServer server = echo(base);
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast()).transport(base)
                     .proxy(proxy.httpProxy()).build()) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(URI.create("ws://localhost:" + server.port() + "/echo"), inbox));
            ws.sendText("via options");
            assertEquals("via options", inbox.next());
            assertEquals(List.of("CONNECT localhost:" + server.port() + " HTTP/1.1"), proxy.requests());
            assertEquals(List.of(""), proxy.authorizations(), "no credentials before the proxy asks");
            await(ws.close());
        }
    }

    /** RFC 7235 section 3.2 / RFC 7617: the 407's Basic challenge is answered once, on a new connection. */
    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void wssThroughAnAuthenticatingProxyAnswersTheChallengeOnce(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast())
                     .transport(TlsTransport.client(LOCALHOST.clientConfig()).over(base))
                     .proxy(proxy.httpProxy().withCredentials("alice", "s3cr:t")).build()) {
            proxy.requireAuthorization(ALICE);
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            WebSocket ws = await(client.connect(TlsSupport.wss("localhost", server), inbox));
            ws.sendText("authenticated");
            assertEquals("authenticated", inbox.next());
            assertEquals(List.of("", ALICE), proxy.authorizations());
            await(ws.close());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void wrongCredentialsFailOnceAnswered(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketClient client = client(base, proxy.httpProxy().withCredentials("alice", "wrong"))) {
            proxy.requireAuthorization(ALICE);
            ProxyException failed = failure(client.connect(URI.create("ws://origin.example:80/"), new TlsSupport.Inbox()));
            assertEquals(ProxyException.Reason.AUTHENTICATION_FAILED, failed.reason());
            assertEquals(407, failed.status());
            assertTrue(failed.getMessage().contains("refused the credentials of user alice"), failed.getMessage());
            assertTrue(!failed.getMessage().contains("wrong"), "the password is never shown");
            assertEquals(2, proxy.authorizations().size(), "answered once, not again");
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void aRefusingProxyIsNamedWithItsStatus(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy(); WebSocketClient client = client(base, proxy.httpProxy())) {
            proxy.refuseWith(403);
            ProxyException failed = failure(client.connect(URI.create("ws://origin.example:80/"), new TlsSupport.Inbox()));
            assertEquals(ProxyException.Reason.REFUSED, failed.reason());
            assertEquals(403, failed.status());
            assertTrue(failed.getMessage().contains("refused CONNECT origin.example:80: 403"), failed.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void aProxyThatDropsBeforeAnsweringIsNamed(Transport base) throws Exception {
        for (TestConnectProxy.Fault fault : List.of(TestConnectProxy.Fault.DROP_AFTER_REQUEST, TestConnectProxy.Fault.DROP_MID_ANSWER)) {
            try (TestConnectProxy proxy = new TestConnectProxy(); WebSocketClient client = client(base, proxy.httpProxy())) {
                proxy.fault(fault);
                ProxyException failed = failure(client.connect(URI.create("ws://origin.example:80/"), new TlsSupport.Inbox()));
                assertEquals(ProxyException.Reason.CLOSED, failed.reason(), fault.toString());
                assertTrue(failed.getMessage().contains("before answering CONNECT origin.example:80"), failed.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void aProxyNobodyListensOnIsNamedUnreachable(Transport base) throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (WebSocketClient client = client(base, ws.protocol.api.HttpProxy.at("127.0.0.1", closedPort))) {
            ProxyException failed = failure(client.connect(URI.create("ws://origin.example:80/"), new TlsSupport.Inbox()));
            assertEquals(ProxyException.Reason.UNREACHABLE, failed.reason());
            assertTrue(failed.getMessage().contains("cannot reach the proxy http://127.0.0.1:" + closedPort
                    + " (to CONNECT origin.example:80)"), failed.getMessage());
            assertInstanceOf(java.net.ConnectException.class, failed.getCause());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void aSilentProxyTimesOutAfterTheProxyTimeout(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketClient client = WebSocketClient.builder()
                     .connection(TlsSupport.fast().withHandshakeTimeout(Duration.ofSeconds(60))).transport(base)
                     .proxy(proxy.httpProxy().withTimeout(Duration.ofMillis(500))).build()) {
            proxy.fault(TestConnectProxy.Fault.SILENT);
            ProxyException failed = failure(client.connect(URI.create("ws://origin.example:80/"), new TlsSupport.Inbox()));
            assertEquals(ProxyException.Reason.TIMED_OUT, failed.reason());
            assertTrue(failed.getMessage().contains("did not answer CONNECT origin.example:80 within PT0.5S"), failed.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#socketTransports")
    void aResolverChoosesPerUri(Transport base) throws Exception {
        try (TestConnectProxy proxy = new TestConnectProxy();
             WebSocketServer server = echo(base);
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast()).transport(base)
                     .proxy(ProxyResolver.environment(java.util.Map.of("http_proxy", proxy.httpProxy().toString(),
                             "no_proxy", "127.0.0.1"))).build()) {
            TlsSupport.Inbox direct = new TlsSupport.Inbox();
            await(await(client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), direct)).close());
            assertEquals(List.of(), proxy.requests(), "NO_PROXY: straight to the server");
            TlsSupport.Inbox proxied = new TlsSupport.Inbox();
            await(await(client.connect(URI.create("ws://localhost:" + server.port() + "/echo"), proxied)).close());
            assertEquals(List.of("CONNECT localhost:" + server.port() + " HTTP/1.1"), proxy.requests());
        }
    }

    private static WebSocketServer echo(Transport base) throws java.io.IOException {
        return WebSocketServer.builder().route("/echo", new TlsSupport.Echo()).connection(TlsSupport.fast()).transport(base).start();
    }

    private static WebSocketClient client(Transport base, ws.protocol.api.ProxyResolver proxy) {
        return WebSocketClient.builder().connection(TlsSupport.fast()).transport(base).proxy(proxy).build();
    }

    private static ProxyException failure(CompletableFuture<WebSocket> connect) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> connect.get(30, TimeUnit.SECONDS));
        return assertInstanceOf(ProxyException.class, failed.getCause(), () -> "not a proxy failure: " + failed.getCause());
    }
}
