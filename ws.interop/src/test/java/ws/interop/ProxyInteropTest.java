package ws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.api.HttpProxy;
import ws.protocol.api.ProxyException;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.transport.tls.DevCertificate;
import ws.transport.tls.TlsTransport;

/**
 * Our client through a real HTTP proxy, Debian's tinyproxy (started per test on a free loopback port
 * with a generated configuration): ws:// and wss:// (TLS to the origin inside the CONNECT tunnel),
 * with and without Basic authentication (tinyproxy answers 407 and closes; the client answers once,
 * on a new connection), wrong or missing credentials, and a CONNECT the proxy cannot carry out. On
 * both socket transports; the proxy is configured in the client options only.
 */
class ProxyInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final DevCertificate CERTIFICATE = DevCertificate.create();

    @TempDir
    Path dir;

    @BeforeEach
    void requireTinyproxy() {
        PeerAssumptions.requirePeer("tinyproxy", Peers::tinyproxyMissing);
    }

    static Stream<Arguments> transportsSchemesAndAuth() {
        return Stream.of("blocking", "virtual").flatMap(transport -> Stream.of("ws", "wss")
                .flatMap(scheme -> Stream.of(false, true).map(auth -> Arguments.of(transport, scheme, auth))));
    }

    @ParameterizedTest(name = "{1}:// on {0}, authentication {2}")
    @MethodSource("transportsSchemesAndAuth")
    void echoesThroughTinyproxy(String transport, String scheme, boolean auth) throws Exception {
        boolean secure = scheme.equals("wss");
        try (Tinyproxy proxy = Tinyproxy.start(dir, auth ? "alice" : null, auth ? "s3cret" : null);
             ScenarioServer server = secure ? ScenarioServer.startTls(transport, CERTIFICATE.serverConfig())
                     : ScenarioServer.start(transport);
             WebSocketClient client = client(transport, secure, auth
                     ? HttpProxy.at("127.0.0.1", proxy.port()).withCredentials("alice", "s3cret")
                     : HttpProxy.at("127.0.0.1", proxy.port()))) {
            Inbox inbox = new Inbox();
            WebSocket ws = connect(client, server.uri("/echo"), inbox, proxy);
            ws.sendText("through tinyproxy");
            assertEquals("through tinyproxy", inbox.next(TIMEOUT).text());
            byte[] large = new byte[1 << 20];
            new Random(7).nextBytes(large);
            ws.sendBinary(ByteBuffer.wrap(large));
            assertArrayEquals(large, inbox.next(TIMEOUT).bytes(), "a 1 MiB message both ways through the tunnel");
            if (secure) {
                assertTrue(ws.tlsSession().isPresent(), "TLS to the origin, inside the tunnel");
            }
            ws.close().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String close = server.nextClose(TIMEOUT);
            assertTrue(close.startsWith("/echo 1000"), close);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void wrongOrMissingCredentialsAreNamed(String transport) throws Exception {
        try (Tinyproxy proxy = Tinyproxy.start(dir, "alice", "s3cret");
             WebSocketClient wrong = client(transport, false,
                     HttpProxy.at("127.0.0.1", proxy.port()).withCredentials("alice", "guess"));
             WebSocketClient none = client(transport, false, HttpProxy.at("127.0.0.1", proxy.port()))) {
            for (WebSocketClient client : new WebSocketClient[] {wrong, none}) {
                ProxyException failed = failure(client.connect(URI.create("ws://127.0.0.1:9/"), new Inbox()), proxy);
                assertEquals(ProxyException.Reason.AUTHENTICATION_FAILED, failed.reason(), failed.getMessage());
                assertEquals(client == none ? 407 : 401, failed.status(), "tinyproxy answers wrong credentials with 401");
            }
        }
    }

    /** tinyproxy cannot reach the origin (nothing listens there): it answers CONNECT with 500. */
    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"blocking", "virtual"})
    void aConnectTheProxyRefusesIsNamedWithItsStatus(String transport) throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (Tinyproxy proxy = Tinyproxy.start(dir, null, null);
             WebSocketClient client = client(transport, false, HttpProxy.at("127.0.0.1", proxy.port()))) {
            ProxyException failed = failure(client.connect(URI.create("ws://127.0.0.1:" + closedPort + "/"), new Inbox()), proxy);
            assertEquals(ProxyException.Reason.REFUSED, failed.reason(), failed.getMessage());
            assertTrue(failed.status() >= 500, failed.getMessage());
            assertTrue(failed.getMessage().contains("refused CONNECT 127.0.0.1:" + closedPort), failed.getMessage());
        }
    }

    private static WebSocketClient client(String transport, boolean secure, HttpProxy proxy) {
        Transport base = Transport.named(transport);
        return WebSocketClient.builder()
                .transport(secure ? TlsTransport.client(CERTIFICATE.clientConfig()).over(base) : base)
                .proxy(proxy)
                .build();
    }

    private static WebSocket connect(WebSocketClient client, URI uri, Inbox inbox, Tinyproxy proxy) throws Exception {
        try {
            return client.connect(uri, inbox).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("connect to " + uri + " through tinyproxy failed: " + e.getCause() + "\n" + proxy.describe(), e);
        }
    }

    private static ProxyException failure(CompletableFuture<WebSocket> connect, Tinyproxy proxy) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> connect.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        return assertInstanceOf(ProxyException.class, failed.getCause(),
                () -> "not a proxy failure: " + failed.getCause() + "\n" + proxy.describe());
    }
}
