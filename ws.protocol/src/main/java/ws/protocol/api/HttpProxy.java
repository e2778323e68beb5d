package ws.protocol.api;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP proxy a client tunnels through with {@code CONNECT} (RFC 9110 section 9.3.6), for
 * {@code ws://} and {@code wss://} alike (TLS then runs inside the tunnel, to the origin). Immutable.
 *
 * <pre>{@code
 * HttpProxy proxy = HttpProxy.of(URI.create("http://proxy.example:3128"))
 *         .withCredentials("alice", "secret")      // Basic, sent once the proxy answers 407
 *         .withTimeout(Duration.ofSeconds(5));     // how long the proxy may take to answer CONNECT
 * }</pre>
 *
 * <p>An {@code HttpProxy} is a {@link ProxyResolver} that chooses itself for every URI:
 * {@code WebSocketClient.builder().proxy(proxy)}. Credentials are sent only after the proxy asks for them ({@code 407} with a {@code Basic}
 * challenge), once; {@link #toString()} never shows the password.
 */
public final class HttpProxy implements ProxyResolver {
    /** How long a proxy may take to answer CONNECT unless {@link #withTimeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final Duration timeout;

    private HttpProxy(String host, int port, String username, String password, Duration timeout) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.timeout = timeout;
    }

    /**
     * The proxy at {@code host:port}.
     *
     * @throws IllegalArgumentException for an empty host or a port outside 1..65535
     */
    public static HttpProxy at(String host, int port) {
        Objects.requireNonNull(host, "host");
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty()) {
            throw new IllegalArgumentException("proxy host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port " + port + " is not in 1..65535");
        }
        return new HttpProxy(bare, port, null, null, DEFAULT_TIMEOUT);
    }

    /**
     * The proxy a URI names, as curl and the {@code HTTPS_PROXY} convention write it:
     * {@code http://[user:password@]host[:port]} (port 80 when absent; user and password
     * percent-decoded).
     *
     * @throws IllegalArgumentException for another scheme ({@code https://} and {@code socks5://}
     *                                  proxies are not spoken), no host, or a path
     */
    public static HttpProxy of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("proxy " + redacted(uri) + ": only http:// proxies are supported (CONNECT)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy " + redacted(uri) + " names no host");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("proxy " + redacted(uri) + " has a path; a proxy is host and port only");
        }
        HttpProxy proxy = at(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort());
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            String pass = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
            proxy = proxy.withCredentials(user, pass);
        }
        return proxy;
    }

    /** {@link #of(URI)} of a string; a bare {@code host:port} is taken as {@code http://host:port} (as curl does). */
    public static HttpProxy of(String uri) {
        return of(URI.create(uri.contains("://") ? uri : "http://" + uri));
    }

    /**
     * This proxy with Basic credentials (RFC 7617), sent once the proxy answers {@code 407}.
     *
     * @throws IllegalArgumentException for a user name containing {@code ':'} (Basic cannot carry it)
     */
    public HttpProxy withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic user name cannot contain ':'");
        }
        return new HttpProxy(host, port, username, password, timeout);
    }

    /** This proxy with another time to answer CONNECT (a proxy slower than that fails the connect). */
    public HttpProxy withTimeout(Duration value) {
        Objects.requireNonNull(value, "timeout");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("proxy timeout must be positive");
        }
        return new HttpProxy(host, port, username, password, value);
    }

    /** This proxy, whatever the target. */
    @Override
    public Optional<HttpProxy> proxyFor(URI target) {
        return Optional.of(this);
    }

    /** The proxy's host name or address literal (IPv6 without brackets). */
    public String host() {
        return host;
    }

    /** The proxy's port. */
    public int port() {
        return port;
    }

    /** The user name of the credentials, if any. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The password of the credentials, if any. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** How long the proxy may take to answer CONNECT. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The {@code Proxy-Authorization} value for these credentials ({@code Basic base64(user:pass)},
     * UTF-8 as RFC 7617 section 2.1 recommends), if any.
     */
    public Optional<String> basicAuthorization() {
        if (username == null) {
            return Optional.empty();
        }
        byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        return Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString(pair));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redacted(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpProxy that && host.equals(that.host) && port == that.port
                && Objects.equals(username, that.username) && Objects.equals(password, that.password)
                && timeout.equals(that.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, username, password, timeout);
    }

    /** {@code http://[user:***@]host:port}: never the password. */
    @Override
    public String toString() {
        return "http://" + (username == null ? "" : username + ":***@")
                + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
