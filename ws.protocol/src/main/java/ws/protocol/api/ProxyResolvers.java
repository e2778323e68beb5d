package ws.protocol.api;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The work of {@link ProxyResolver}'s factories. */
final class ProxyResolvers {
    private ProxyResolvers() {
    }

    static Optional<HttpProxy> select(ProxySelector selector, URI target) {
        boolean secure = secure(target);
        URI asked;
        try {
            asked = new URI(secure ? "https" : "http", null, host(target), port(target), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot ask the proxy selector about " + target, e);
        }
        List<Proxy> proxies = selector.select(asked);
        for (Proxy proxy : proxies == null ? List.<Proxy>of() : proxies) {
            if (proxy.type() == Proxy.Type.DIRECT) {
                return Optional.empty();
            }
            if (proxy.type() == Proxy.Type.HTTP && proxy.address() instanceof InetSocketAddress address) {
                return Optional.of(HttpProxy.at(address.getHostString(), address.getPort()));
            }
        }
        if (proxies == null || proxies.isEmpty()) {
            return Optional.empty();
        }
        throw new IllegalStateException("the proxy selector chose " + proxies + " for " + asked
                + ": only HTTP proxies (CONNECT) can carry a WebSocket");
    }

    static Optional<HttpProxy> fromEnvironment(Map<String, String> env, URI target) {
        String name = secure(target) ? "https_proxy" : "http_proxy";
        String value = first(env, name, name.toUpperCase(Locale.ROOT));
        if (value == null) {
            return Optional.empty();
        }
        String noProxy = first(env, "no_proxy", "NO_PROXY");
        if (noProxy != null && NoProxy.parse(noProxy).matches(host(target), port(target))) {
            return Optional.empty();
        }
        try {
            return Optional.of(HttpProxy.of(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("$" + name + ": " + e.getMessage(), e);
        }
    }

    private static String first(Map<String, String> env, String lower, String upper) {
        String value = env.get(lower);
        if (value == null || value.isBlank()) {
            value = env.get(upper);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    static boolean secure(URI target) {
        return "wss".equalsIgnoreCase(target.getScheme()) || "https".equalsIgnoreCase(target.getScheme());
    }

    static String host(URI target) {
        String host = target.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + target);
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(URI target) {
        return target.getPort() != -1 ? target.getPort() : secure(target) ? 443 : 80;
    }
}
