package ws.transport.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ws.protocol.api.HttpProxy;

/**
 * A small in-process HTTP proxy for tests: it answers CONNECT host:port (RFC 9110 section 9.3.6) by
 * connecting there and relaying bytes both ways, records every request line, and can refuse with a
 * given status, require Basic credentials, or misbehave ({@link Fault}) instead. Loopback only; one virtual thread per direction per tunnel.
 */
final class TestConnectProxy implements AutoCloseable {
    private final ServerSocket listening;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int refuseWith;
    private volatile Fault fault;
    private volatile String authorization;

    TestConnectProxy() throws IOException {
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("test-proxy-accept").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listening.getLocalPort());
    }

    /** This proxy, as a client configures it. */
    HttpProxy httpProxy() {
        return HttpProxy.at(InetAddress.getLoopbackAddress().getHostAddress(), listening.getLocalPort());
    }

    /** What the proxy does with a CONNECT other than tunnelling it. */
    enum Fault {
        /** Reads the request head, then closes without a byte of answer. */
        DROP_AFTER_REQUEST,
        /** Reads the request head, sends half a status line, then closes. */
        DROP_MID_ANSWER,
        /** Reads the request head and never answers. */
        SILENT
    }

    /** From now on meets every CONNECT with {@code fault}. */
    void fault(Fault value) {
        fault = value;
    }

    /**
     * From now on tunnels only requests with {@code Proxy-Authorization: expected}; others get 407
     * with a Basic challenge, and the connection is closed (as tinyproxy does).
     */
    void requireAuthorization(String expected) {
        authorization = expected;
    }

    /** The {@code Proxy-Authorization} values received, in order ("" for a request without one). */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The request lines received, in order ("CONNECT localhost:1234 HTTP/1.1"). */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** From now on answers every CONNECT with {@code status} and closes. */
    void refuseWith(int status) {
        refuseWith = status;
    }

    private void acceptLoop() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                sockets.add(client);
                Thread.ofVirtual().name("test-proxy-tunnel").start(() -> tunnel(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            requests.add(requestLine);
            String given = header(head, "Proxy-Authorization");
            authorizations.add(given);
            Fault meet = fault;
            if (meet != null) {
                if (meet == Fault.DROP_MID_ANSWER) {
                    out.write("HTTP/1.1 20".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                if (meet != Fault.SILENT) {
                    client.close();
                }
                return;  // SILENT: the socket stays open until the proxy closes
            }
            String expected = authorization;
            if (expected != null && !expected.equals(given)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Connection: close\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.close();
                return;
            }
            String[] parts = requestLine.split(" ");
            int status = refuseWith;
            if (status != 0 || parts.length != 3 || !parts[0].equals("CONNECT")) {
                int answer = status != 0 ? status : 405;
                out.write(("HTTP/1.1 " + answer + " Refused\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.close();
                return;
            }
            int colon = parts[1].lastIndexOf(':');
            String host = parts[1].substring(0, colon);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            Socket origin = new Socket(host, Integer.parseInt(parts[1].substring(colon + 1)));
            sockets.add(origin);
            out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.ofVirtual().name("test-proxy-up").start(() -> relay(client, origin));
            relay(origin, client);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 16 << 10) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client left before its request head ended");
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("request head too large");
    }

    /** Copies {@code from} to {@code to} until the end, then passes the end on (half-close). */
    private static void relay(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listening.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
