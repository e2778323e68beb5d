package ws.transport.blocking.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import ws.protocol.api.HttpProxy;
import ws.protocol.api.ProxyException;
import ws.protocol.api.ProxyException.Reason;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;

/**
 * A client layer that reaches its target through an HTTP proxy's CONNECT tunnel (RFC 9110 section
 * 9.3.6): TCP goes to the proxy, which is asked to connect to the target; once it answers 2xx, the
 * socket carries the target's bytes (TLS for {@code wss://} then runs over it, to the origin, never
 * to the proxy). A client configured with {@code ClientOptions.Builder.proxy(...)} gets this layer
 * first in its connect path; it can also be given to a transport directly
 * ({@link LayeredTransport#withClientLayers}).
 *
 * <p><b>Authentication.</b> The first CONNECT carries no credentials. A {@code 407} with a
 * {@code Basic} challenge (RFC 7617) is answered once, on a new connection to the proxy (many
 * proxies close after a 407), with the proxy's credentials; a second 407, a 407 without configured
 * credentials, or a challenge of another scheme only fails the connect with a {@link ProxyException}
 * of reason {@code AUTHENTICATION_FAILED} (so does a 401 to the credentials, as tinyproxy answers).
 *
 * <p><b>Failures</b> are {@link ProxyException}s naming the proxy and the target: another status
 * ({@code REFUSED}), the proxy closing before its answer ({@code CLOSED}), no answer within the
 * proxy's timeout ({@code TIMED_OUT}), an answer that is not HTTP ({@code MALFORMED}). The response
 * head is bounded (16 KiB) and read without reading past it.
 */
public final class HttpConnectTunnel implements ClientLayer {
    /** The largest response head accepted from a proxy. */
    static final int MAX_HEAD_BYTES = 16 << 10;

    private final HttpProxy proxy;
    private final HttpHeaders headers;
    private final boolean authenticate;

    private HttpConnectTunnel(HttpProxy proxy, HttpHeaders headers, boolean authenticate) {
        this.proxy = proxy;
        this.headers = headers;
        this.authenticate = authenticate;
    }

    /** A tunnel through {@code proxy} (its host is resolved at connect), with its credentials and timeout. */
    public static HttpConnectTunnel through(HttpProxy proxy) {
        return new HttpConnectTunnel(Objects.requireNonNull(proxy, "proxy"), HttpHeaders.empty(), false);
    }

    /** This tunnel sending one more header with its CONNECT request. */
    public HttpConnectTunnel withHeader(String name, String value) {
        HttpHeaders.Builder builder = HttpHeaders.builder();
        headers.forEach(builder::add);
        return new HttpConnectTunnel(proxy, builder.add(name, value).build(), authenticate);
    }

    /** The proxy it tunnels through. */
    public HttpProxy proxy() {
        return proxy;
    }

    /** The proxy's address: where TCP connects. */
    @Override
    public InetSocketAddress route(InetSocketAddress target) {
        return InetSocketAddress.createUnresolved(proxy.host(), proxy.port());
    }

    @Override
    public Socket open(Socket socket, InetSocketAddress target) throws IOException {
        String authority = authority(target);
        StringBuilder request = new StringBuilder(160)
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (authenticate) {
            request.append("Proxy-Authorization: ").append(proxy.basicAuthorization().orElseThrow()).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        HandshakeResponse response = readHead(socket, authority);
        int status = response.status();
        if (status / 100 == 2) {
            return socket;
        }
        // tinyproxy answers wrong credentials with 401 rather than another 407
        if (status == 407 || status == 401 && authenticate) {
            throw challenged(response, authority);
        }
        throw new ProxyException(Reason.REFUSED, status, "the proxy " + proxy + " refused CONNECT " + authority + ": "
                + status + " " + response.reason(), null);
    }

    /** What to do about a 407: start over with credentials once, or fail naming why not. */
    private IOException challenged(HandshakeResponse response, String authority) {
        int status = response.status();
        String prefix = "the proxy " + proxy + " requires authentication for CONNECT " + authority + " (" + status;
        boolean basic = response.headers().all("Proxy-Authenticate").stream()
                .anyMatch(challenge -> challenge.strip().toLowerCase(Locale.ROOT).startsWith("basic"));
        if (authenticate) {
            return new ProxyException(Reason.AUTHENTICATION_FAILED, status,
                    prefix + "): it refused the credentials of user " + proxy.username().orElseThrow(), null);
        }
        if (proxy.username().isEmpty()) {
            return new ProxyException(Reason.AUTHENTICATION_FAILED, 407,
                    prefix + ") and no credentials are configured: HttpProxy.withCredentials, or user:password@ in the proxy URI", null);
        }
        if (!basic) {
            return new ProxyException(Reason.AUTHENTICATION_FAILED, 407, prefix + ") by "
                    + response.headers().all("Proxy-Authenticate") + ": only Basic is supported", null);
        }
        return new RetryConnectException(prefix + "): answering with credentials",
                new HttpConnectTunnel(proxy, headers, true));
    }

    /** Reads the response head one byte at a time, so no byte of the tunnel is consumed; within the proxy's timeout. */
    private HandshakeResponse readHead(Socket socket, String authority) throws IOException {
        HttpHeadParser parser = HttpHeadParser.responses(MAX_HEAD_BYTES);
        ByteBuffer one = ByteBuffer.allocate(1);
        InputStream in = socket.getInputStream();
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, proxy.timeout().toMillis())));
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new ProxyException(Reason.CLOSED, 0, "the proxy " + proxy
                            + " closed the connection before answering CONNECT " + authority, null);
                }
                one.clear();
                one.put((byte) b).flip();
                HandshakeResponse response = parser.parseResponse(one);
                if (response != null) {
                    socket.setSoTimeout(before);
                    return response;
                }
            }
        } catch (SocketTimeoutException slow) {
            throw new ProxyException(Reason.TIMED_OUT, 0, "the proxy " + proxy + " did not answer CONNECT " + authority
                    + " within " + proxy.timeout(), slow);
        } catch (HandshakeException malformed) {
            throw new ProxyException(Reason.MALFORMED, 0, "the proxy " + proxy + " answered CONNECT " + authority
                    + " with malformed HTTP: " + malformed.getMessage(), malformed);
        } catch (ProxyException named) {
            throw named;
        } catch (IOException dropped) {
            throw new ProxyException(Reason.CLOSED, 0, "the proxy " + proxy + " dropped the connection before answering CONNECT "
                    + authority + ": " + dropped.getMessage(), dropped);
        }
    }

    /** {@code host:port}, an IPv6 literal in brackets (RFC 9110 section 7.2). */
    private static String authority(InetSocketAddress target) {
        String host = target.getHostString();
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + target.getPort();
    }

    @Override
    public String toString() {
        return "HttpConnectTunnel[" + proxy + "]";
    }
}
