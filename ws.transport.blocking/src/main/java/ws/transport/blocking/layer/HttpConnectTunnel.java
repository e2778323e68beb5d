package ws.transport.blocking.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;

/**
 * A client layer that reaches its target through an HTTP proxy's CONNECT tunnel (RFC 9110 section
 * 9.3.6): TCP goes to the proxy, which is asked to connect to the target; once it answers 2xx, the
 * socket carries the target's bytes (TLS for {@code wss://} then runs over it, to the origin).
 *
 * <p>Extra request headers (a {@code Proxy-Authorization} the application computed, say) go with the
 * CONNECT request; proxy authentication schemes and proxy settings from the environment are not
 * this class's business. A refusal fails the connect with an {@link IOException} naming the status.
 * The response head is bounded (16 KiB) and read without reading past it.
 */
public final class HttpConnectTunnel implements ClientLayer {
    /** The largest response head accepted from a proxy. */
    static final int MAX_HEAD_BYTES = 16 << 10;

    private final InetSocketAddress proxy;
    private final HttpHeaders headers;

    private HttpConnectTunnel(InetSocketAddress proxy, HttpHeaders headers) {
        this.proxy = proxy;
        this.headers = headers;
    }

    /** A tunnel through the HTTP proxy at {@code proxy} (an unresolved address is resolved at connect). */
    public static HttpConnectTunnel through(InetSocketAddress proxy) {
        return new HttpConnectTunnel(Objects.requireNonNull(proxy, "proxy"), HttpHeaders.empty());
    }

    /** This tunnel sending one more header with its CONNECT request. */
    public HttpConnectTunnel withHeader(String name, String value) {
        HttpHeaders.Builder builder = HttpHeaders.builder();
        headers.forEach(builder::add);
        return new HttpConnectTunnel(proxy, builder.add(name, value).build());
    }

    /** The proxy's address: where TCP connects. */
    @Override
    public InetSocketAddress route(InetSocketAddress target) {
        return proxy;
    }

    @Override
    public Socket open(Socket socket, InetSocketAddress target) throws IOException {
        String authority = authority(target);
        StringBuilder request = new StringBuilder(128)
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        HandshakeResponse response = readHead(socket.getInputStream(), authority);
        if (response.status() / 100 != 2) {
            throw new IOException("the proxy " + proxy + " refused CONNECT " + authority + ": " + response.status()
                    + " " + response.reason());
        }
        return socket;
    }

    /** Reads the response head one byte at a time, so no byte of the tunnel is consumed. */
    private HandshakeResponse readHead(InputStream in, String authority) throws IOException {
        HttpHeadParser parser = HttpHeadParser.responses(MAX_HEAD_BYTES);
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the proxy " + proxy + " closed the connection before answering CONNECT "
                            + authority);
                }
                one.clear();
                one.put((byte) b).flip();
                HandshakeResponse response = parser.parseResponse(one);
                if (response != null) {
                    return response;
                }
            }
        } catch (HandshakeException malformed) {
            throw new IOException("the proxy " + proxy + " answered CONNECT " + authority + " with malformed HTTP: "
                    + malformed.getMessage(), malformed);
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
