package ws.protocol.api;

import java.net.ProxySelector;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which HTTP proxy, if any, a client's connection to a URI goes through; asked once per connect
 * ({@link ClientOptions.Builder#proxy}). An {@link HttpProxy} is itself a resolver (that proxy for
 * every URI):
 *
 * <pre>{@code
 * .proxy(HttpProxy.of("http://proxy.example:3128"))  // this proxy, always
 * .proxy(ProxyResolver.system())                     // the default: ProxySelector.getDefault()
 * .proxy(ProxyResolver.environment())                // opt in to HTTPS_PROXY, HTTP_PROXY, NO_PROXY
 * .proxy(ProxyResolver.direct())                     // never a proxy
 * }</pre>
 */
@FunctionalInterface
public interface ProxyResolver {

    /**
     * The proxy for a connection to {@code target} ({@code ws://} or {@code wss://}), or empty to
     * connect directly.
     *
     * @throws IllegalStateException when the only proxies configured are of a kind a WebSocket
     *                               client cannot use (SOCKS): the connect fails rather than going direct
     */
    Optional<HttpProxy> proxyFor(URI target);

    /** No proxy, ever. */
    static ProxyResolver direct() {
        return target -> Optional.empty();
    }

    /**
     * The JVM's proxy selector ({@link ProxySelector#getDefault()}, read at each connect): the
     * {@code http.proxyHost}/{@code http.proxyPort} system properties for {@code ws://},
     * {@code https.proxyHost}/{@code https.proxyPort} for {@code wss://}, {@code http.nonProxyHosts}
     * for both (it exempts localhost and 127.* unless set), or the operating system's settings with
     * {@code java.net.useSystemProxies=true}. What a client uses unless told otherwise.
     */
    static ProxyResolver system() {
        return target -> {
            ProxySelector selector = ProxySelector.getDefault();
            return selector == null ? Optional.empty() : ProxyResolvers.select(selector, target);
        };
    }

    /**
     * The proxy {@code selector} chooses, asked as for the HTTP request a WebSocket handshake is
     * ({@code ws://host:port} as {@code http://host:port}, {@code wss://} as {@code https://}): its
     * first HTTP proxy, or direct when it says {@code DIRECT} first.
     */
    static ProxyResolver of(ProxySelector selector) {
        Objects.requireNonNull(selector, "selector");
        return target -> ProxyResolvers.select(selector, target);
    }

    /**
     * The environment's proxy variables, as curl reads them (read at each connect): {@code https_proxy}
     * or {@code HTTPS_PROXY} for {@code wss://}, {@code http_proxy} or {@code HTTP_PROXY} for
     * {@code ws://} (lower case first; a value is a proxy URI, {@code http://[user:pass@]host[:port]}),
     * except for the hosts {@code no_proxy} or {@code NO_PROXY} lists (comma-separated: {@code *} for
     * every host, a domain, which also covers its subdomains, with or without a leading dot, an IP
     * address or CIDR block, each optionally with {@code :port}). Only when the application opts in:
     * a client never reads these by itself.
     */
    static ProxyResolver environment() {
        return environment(System.getenv());
    }

    /** {@link #environment()} over these variables instead of the process's environment. */
    static ProxyResolver environment(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return target -> ProxyResolvers.fromEnvironment(copy, target);
    }
}
