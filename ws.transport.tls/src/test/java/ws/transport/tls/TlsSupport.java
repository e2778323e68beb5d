package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.blocking.BlockingTransport;
import ws.transport.eventloop.EventLoopTransport;
import ws.transport.virtualthreads.VirtualThreadTransport;

/** Both socket transports, fast options, an echo route and a recording client listener. */
final class TlsSupport {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** One self-signed certificate for localhost, 127.0.0.1 and ::1, shared by the tests. */
    static final DevCertificate LOCALHOST = DevCertificate.create();

    private TlsSupport() {
    }

    /** Every transport TLS runs over: the two socket transports and the event loops, for {@code @MethodSource}. */
    static Stream<Transport> transports() {
        return Stream.of(new BlockingTransport(), new VirtualThreadTransport(), new EventLoopTransport(2));
    }

    /** The two socket transports (what only they have: the HTTP proxy tunnel), for {@code @MethodSource}. */
    static Stream<Transport> socketTransports() {
        return Stream.of(new BlockingTransport(), new VirtualThreadTransport());
    }

    /** No keepalive, a 2 s close timeout, a 5 s handshake timeout (TLS set-up is slow on a busy machine). */
    static ConnectionOptions fast() {
        return ConnectionOptions.defaults()
                .withKeepAlive(Duration.ZERO, Duration.ofSeconds(1))
                .withCloseTimeout(Duration.ofSeconds(2))
                .withHandshakeTimeout(Duration.ofSeconds(5));
    }

    /** An echo server on 127.0.0.1 with {@code config}, over {@code base}. */
    static WebSocketServer echoServer(Transport base, TlsServerConfig config) throws java.io.IOException {
        return WebSocketServer.builder()
                .route("/echo", new Echo())
                .connection(fast())
                .transport(TlsTransport.server(config).over(base))
                .start();
    }

    static WebSocketClient client(Transport base, TlsClientConfig config) {
        return WebSocketClient.builder().connection(fast()).transport(TlsTransport.client(config).over(base)).build();
    }

    static URI wss(WebSocketServer server) {
        return URI.create("wss://127.0.0.1:" + server.port() + "/echo");
    }

    static URI wss(String host, WebSocketServer server) {
        return URI.create("wss://" + host + ":" + server.port() + "/echo");
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** JSSE's trust manager for {@link #LOCALHOST} alone (for raw JSSE peers). */
    static javax.net.ssl.X509ExtendedTrustManager localhostTrust() throws Exception {
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("localhost", LOCALHOST.certificate());
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        return (javax.net.ssl.X509ExtendedTrustManager) trust.getTrustManagers()[0];
    }

    /** A raw JSSE client context that trusts {@link #LOCALHOST}. */
    static javax.net.ssl.SSLContext jsseClient() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {localhostTrust()}, null);
        return context;
    }

    /** Connecting fails with a TLS handshake failure: returns it. */
    static TlsHandshakeException refused(CompletableFuture<WebSocket> connect) {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> connect.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(TlsHandshakeException.class, failure.getCause(), () -> "not a TLS failure: " + failure.getCause());
    }

    /** Server connection threads alive now: platform ones, named ws-server-* (virtual threads are not listed). */
    static int serverThreads() {
        int count = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("ws-server-")) {
                count++;
            }
        }
        return count;
    }

    /** Echoes text and binary messages. */
    static final class Echo implements WebSocketListener {
        @Override
        public void onText(WebSocket webSocket, String text) {
            webSocket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            webSocket.sendBinary(data);
        }
    }

    /** Records what a client receives. */
    static final class Inbox implements WebSocketListener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

        @Override
        public void onText(WebSocket webSocket, String text) {
            messages.add(text);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            messages.add(bytes);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.add(error);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            closed.complete(status);
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + WAIT);
            }
            return message;
        }
    }
}
