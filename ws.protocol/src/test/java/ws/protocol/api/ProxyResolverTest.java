package ws.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which proxy a connect goes through: explicit, the JVM's ProxySelector, or the environment (curl's rules). */
class ProxyResolverTest {
    private static final URI WS = URI.create("ws://chat.example.com/socket");
    private static final URI WSS = URI.create("wss://chat.example.com/socket");

    @Test
    void aProxyUriGivesHostPortAndPercentDecodedCredentials() {
        HttpProxy proxy = HttpProxy.of("http://al%40ice:p%3Ass@proxy.example:3128");
        assertEquals("proxy.example", proxy.host());
        assertEquals(3128, proxy.port());
        assertEquals(Optional.of("al@ice"), proxy.username());
        assertEquals(Optional.of("p:ss"), proxy.password());
        assertEquals("http://al@ice:***@proxy.example:3128", proxy.toString(), "never the password");
        assertEquals(80, HttpProxy.of("http://proxy.example").port());
        assertEquals(HttpProxy.at("proxy.example", 8080), HttpProxy.of("proxy.example:8080"), "bare host:port, as curl");
        assertEquals("::1", HttpProxy.of("http://[::1]:3128").host());
    }

    @Test
    void onlyHttpProxiesWithoutAPathAreSpoken() {
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("socks5://proxy.example:1080"));
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("https://proxy.example:443"));
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("http://proxy.example:3128/path"));
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.at("proxy.example", 0));
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.at("proxy.example", 1).withTimeout(Duration.ZERO));
        IllegalArgumentException shown = assertThrows(IllegalArgumentException.class,
                () -> HttpProxy.of("ftp://bob:hunter2@proxy.example"));
        assertTrue(!shown.getMessage().contains("hunter2"), shown.getMessage());
    }

    /** RFC 7617 section 2: user-id ":" password, base64 of its UTF-8 bytes. */
    @Test
    void basicAuthorizationIsBase64OfUserColonPassword() {
        assertEquals(Optional.of("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
                HttpProxy.at("p", 1).withCredentials("Aladdin", "open sesame").basicAuthorization());
        assertEquals(Optional.empty(), HttpProxy.at("p", 1).basicAuthorization());
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.at("p", 1).withCredentials("a:b", "c"));
    }

    @Test
    void anHttpProxyChoosesItselfForEveryUri() {
        HttpProxy proxy = HttpProxy.at("proxy.example", 3128);
        assertEquals(Optional.of(proxy), proxy.proxyFor(WSS));
        assertEquals(Optional.empty(), ProxyResolver.direct().proxyFor(WSS));
    }

    @Test
    void theEnvironmentNamesAProxyPerScheme() {
        ProxyResolver env = ProxyResolver.environment(Map.of(
                "HTTP_PROXY", "http://plain.example:8080", "HTTPS_PROXY", "http://u:p@secure.example:3128"));
        assertEquals(Optional.of(HttpProxy.at("plain.example", 8080)), env.proxyFor(WS));
        assertEquals(Optional.of(HttpProxy.at("secure.example", 3128).withCredentials("u", "p")), env.proxyFor(WSS));
        assertEquals(Optional.empty(), ProxyResolver.environment(Map.of("HTTP_PROXY", "http://plain.example:8080")).proxyFor(WSS));
        assertEquals(Optional.of(HttpProxy.at("lower.example", 1)), ProxyResolver.environment(
                Map.of("https_proxy", "lower.example:1", "HTTPS_PROXY", "upper.example:2")).proxyFor(WSS), "lower case first");
        assertEquals(Optional.empty(), ProxyResolver.environment(Map.of("HTTPS_PROXY", " ")).proxyFor(WSS));
    }

    @Test
    void noProxyExemptsDomainsAddressesBlocksAndPorts() {
        ProxyResolver env = ProxyResolver.environment(Map.of("https_proxy", "http://proxy:3128",
                "NO_PROXY", "example.org, .internal,*.corp.example ,10.0.0.0/8,[::1],192.168.1.7:8443"));
        assertExempt(env, "wss://example.org/", true);
        assertExempt(env, "wss://api.example.org/", true);
        assertExempt(env, "wss://notexample.org/", false);
        assertExempt(env, "wss://db.internal/", true);
        assertExempt(env, "wss://internal/", true);
        assertExempt(env, "wss://x.corp.example/", true);
        assertExempt(env, "wss://10.20.30.40/", true);
        assertExempt(env, "wss://11.0.0.1/", false);
        assertExempt(env, "wss://[::1]:9000/", true);
        assertExempt(env, "wss://192.168.1.7:8443/", true);
        assertExempt(env, "wss://192.168.1.7/", false);
        assertExempt(env, "wss://chat.example.com/", false);
        assertExempt(ProxyResolver.environment(Map.of("https_proxy", "proxy:1", "no_proxy", "*")), "wss://any.where/", true);
    }

    private static void assertExempt(ProxyResolver resolver, String uri, boolean exempt) {
        assertEquals(exempt, resolver.proxyFor(URI.create(uri)).isEmpty(), uri);
    }

    /** ws:// is asked as http://, wss:// as https:// (what the handshake request is), with the effective port. */
    @Test
    void aProxySelectorIsAskedAsForTheHandshakesHttpRequest() {
        List<URI> asked = new ArrayList<>();
        ProxyResolver resolver = ProxyResolver.of(selector(asked,
                List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example", 3128)))));
        assertEquals(Optional.of(HttpProxy.at("proxy.example", 3128)), resolver.proxyFor(WSS));
        assertEquals(Optional.of(HttpProxy.at("proxy.example", 3128)), resolver.proxyFor(URI.create("ws://h:8080/x?y")));
        assertEquals(List.of(URI.create("https://chat.example.com:443"), URI.create("http://h:8080")), asked);
        assertEquals(Optional.empty(), ProxyResolver.of(selector(asked, List.of(Proxy.NO_PROXY))).proxyFor(WSS));
        IllegalStateException socks = assertThrows(IllegalStateException.class, () -> ProxyResolver.of(selector(asked,
                List.of(new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("s", 1080))))).proxyFor(WSS));
        assertTrue(socks.getMessage().contains("only HTTP proxies"), socks.getMessage());
    }

    /** The JDK's default selector reads https.proxyHost / http.nonProxyHosts. */
    @Test
    void theSystemResolverReadsTheProxyProperties() {
        String[] keys = {"https.proxyHost", "https.proxyPort", "http.nonProxyHosts"};
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = System.getProperty(keys[i]);
        }
        try {
            System.setProperty("https.proxyHost", "corp-proxy.example");
            System.setProperty("https.proxyPort", "3129");
            System.setProperty("http.nonProxyHosts", "*.local");
            assertEquals(Optional.of(HttpProxy.at("corp-proxy.example", 3129)), ProxyResolver.system().proxyFor(WSS));
            assertEquals(Optional.empty(), ProxyResolver.system().proxyFor(URI.create("wss://printer.local/")));
            assertEquals(Optional.empty(), ProxyResolver.system().proxyFor(WS), "no http.proxyHost: direct");
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], before[i]);
                }
            }
        }
    }

    private static ProxySelector selector(List<URI> asked, List<Proxy> answer) {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return answer;
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            }
        };
    }
}
