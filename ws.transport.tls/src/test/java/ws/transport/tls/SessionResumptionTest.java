package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.WAIT;
import static ws.transport.tls.TlsSupport.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * TLS 1.3 session resumption (RFC 8446 section 2.2): a server hands out session tickets, and a client
 * that offers one back resumes without a certificate exchange. Seen where only a full handshake makes
 * a difference: the client's check of the server's certificate; a new session on the server.
 */
class SessionResumptionTest {

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void ourServerResumesAClientThatOffersItsTicket(Transport base) throws Exception {
        AtomicInteger certificateChecks = new AtomicInteger();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new javax.net.ssl.TrustManager[] {new CountingTrust(certificateChecks)}, null);
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig())) {
            for (int i = 0; i < 3; i++) {
                try (SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.port())) {
                    tls.setSoTimeout((int) WAIT.toMillis());
                    tls.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    assertTrue(readHead(tls.getInputStream()).startsWith("HTTP/1.1 101"));
                    assertEquals("TLSv1.3", tls.getSession().getProtocol());
                }
            }
        }
        assertEquals(1, certificateChecks.get(), "one full handshake, then two resumed ones");
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void ourClientOffersTheTicketItWasGiven(Transport base) throws Exception {
        Set<Long> sessionsCreated = ConcurrentHashMap.newKeySet();
        try (JdkServer server = new JdkServer(sessionsCreated);
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            for (int i = 0; i < 3; i++) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                WebSocket webSocket = await(client.connect(java.net.URI.create("wss://localhost:" + server.port() + "/"),
                        inbox));
                assertEquals("TLSv1.3", webSocket.tlsSession().orElseThrow().getProtocol());
                await(inbox.closed); // the server ended TLS with close_notify: the session stays valid
                Thread.sleep(20); // a full handshake now would create a session at another millisecond
            }
        }
        assertEquals(1, sessionsCreated.size(), "one full handshake, then two resumed ones: " + sessionsCreated);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * JSSE's own TLS server socket (a peer we do not write), answering each upgrade with 101 and
     * noting the creation time of each connection's session: a resumed session keeps the time of the
     * full handshake that made it.
     */
    private static final class JdkServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread acceptor;

        private final Set<Long> sessionsCreated;

        JdkServer(Set<Long> sessionsCreated) throws Exception {
            this.sessionsCreated = sessionsCreated;
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] password = "changeit".toCharArray();
            keys.init(LOCALHOST.keyStore(password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket accepted = socket.accept();
                    Thread.ofVirtual().start(() -> answer((SSLSocket) accepted));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void answer(SSLSocket accepted) {
            try (accepted) {
                String head = readHead(accepted.getInputStream());
                sessionsCreated.add(accepted.getSession().getCreationTime());
                String key = null;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).strip();
                    }
                }
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                OutputStream out = accepted.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush(); // then close_notify and FIN (try-with-resources)
            } catch (Exception ignored) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Trusts the development certificate and counts the checks of a server's certificate. */
    private static final class CountingTrust extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final AtomicInteger checks;

        CountingTrust(AtomicInteger checks) throws Exception {
            this.delegate = TlsSupport.localhostTrust();
            this.checks = checks;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
