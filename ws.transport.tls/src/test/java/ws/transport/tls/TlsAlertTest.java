package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.WAIT;
import static ws.transport.tls.TlsSupport.await;
import static ws.transport.tls.TlsSupport.serverThreads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ReadyState;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeException;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeadParser;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/**
 * The fault matrix's TLS row: a TLS peer that ends the stream with something other than a WebSocket
 * close, in the middle of a message and in the middle of a handshake, in both roles. A
 * {@code close_notify} (the TLS end of data, RFC 8446 section 6.1) without a close frame, a record
 * that fails its MAC (garbage), or a fatal alert, each after the first 3 of 10 payload bytes of a
 * frame: the listener gets {@code onClose} 1006 once (RFC 6455 section 7.1.5: no close frame was
 * received), nothing hangs, the socket is closed and the connection's thread ends, and the server
 * serves the next client. In the TLS handshake a fatal alert fails the connect with a
 * {@link TlsHandshakeException} and 1015 (RFC 6455 section 7.4.1).
 *
 * <p>The raw peers are JSSE's own {@code SSLSocket} (layered over a plain socket, so that bytes can go
 * around TLS onto the wire) and an {@code SSLEngine} for a ClientHello without the rest.
 */
class TlsAlertTest {
    /** A text frame of 10 payload bytes of which 3 are sent (client to server: masked with a zero key). */
    private static final byte[] PARTIAL_MASKED_FRAME = {(byte) 0x81, (byte) 0x8A, 0, 0, 0, 0, 'h', 'e', 'l'};
    private static final byte[] PARTIAL_FRAME = {(byte) 0x81, 0x0A, 'h', 'e', 'l'};
    /** An application-data record (TLS 1.2 and 1.3 alike) whose 32 bytes fail authentication. */
    private static final byte[] GARBAGE_RECORD;
    /** A plaintext fatal alert record: internal_error (80). */
    private static final byte[] FATAL_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 80};
    /** A plaintext fatal alert record: handshake_failure (40), valid during the handshake. */
    private static final byte[] HANDSHAKE_FAILURE = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40};

    static {
        GARBAGE_RECORD = new byte[5 + 32];
        GARBAGE_RECORD[0] = 0x17;
        GARBAGE_RECORD[1] = 0x03;
        GARBAGE_RECORD[2] = 0x03;
        GARBAGE_RECORD[4] = 32;
        for (int i = 5; i < GARBAGE_RECORD.length; i++) {
            GARBAGE_RECORD[i] = (byte) (i * 37);
        }
    }

    /** How the TLS peer ends the stream. */
    enum Fault {
        CLOSE_NOTIFY, GARBAGE_RECORD, FATAL_ALERT;

        void inject(SSLSocket tls, Socket plain) throws IOException {
            switch (this) {
                case CLOSE_NOTIFY -> tls.shutdownOutput(); // close_notify, then the socket stays open
                case GARBAGE_RECORD -> raw(plain, TlsAlertTest.GARBAGE_RECORD);
                case FATAL_ALERT -> raw(plain, TlsAlertTest.FATAL_ALERT);
            }
        }

        private static void raw(Socket plain, byte[] bytes) throws IOException {
            OutputStream out = plain.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new java.util.ArrayList<>();
        TlsSupport.transports().forEach(transport -> {
            for (Fault fault : Fault.values()) {
                cases.add(Arguments.of(transport, fault));
            }
        });
        return cases;
    }

    // ------------------------------------------------------------------------------------------
    // Our server, a raw TLS client

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void aClientsTlsEndInTheMiddleOfAMessageIs1006AndTheServerServesOthers(Transport base, Fault fault)
            throws Exception {
        int threadsBefore = serverThreads();
        ServerSide listener = new ServerSide();
        try (WebSocketServer server = server(base, listener);
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
            SSLSocket tls = layered(plain, server.port());
            OutputStream out = tls.getOutputStream();
            out.write(upgradeRequest());
            out.flush();
            assertTrue(readHead(tls.getInputStream()).startsWith("HTTP/1.1 101"));
            assertEquals("open", listener.events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            out.write(PARTIAL_MASKED_FRAME);
            out.flush();
            fault.inject(tls, plain);

            assertEquals("close:1006", listener.awaitClose(), "no message, one onClose: " + listener.events);
            assertTrue(endedByServer(plain), "the server closed the connection");
            plain.close();
            assertServesOthers(server, client);
            awaitNoConnections(server);
        }
        awaitServerThreads(threadsBefore);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void aClientsTlsEndInTheMiddleOfTheOpeningHandshakeOpensNothing(Transport base, Fault fault) throws Exception {
        int threadsBefore = serverThreads();
        ServerSide listener = new ServerSide();
        try (WebSocketServer server = server(base, listener);
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
            SSLSocket tls = layered(plain, server.port());
            byte[] request = upgradeRequest();
            OutputStream out = tls.getOutputStream();
            out.write(request, 0, request.length / 2);
            out.flush();
            fault.inject(tls, plain);

            assertTrue(endedByServer(plain), "the server closed the connection");
            plain.close();
            assertServesOthers(server, client);
            awaitNoConnections(server);
            assertEquals(1, server.metrics().connectionsOpened(), "only the client served after it opened");
            assertEquals(List.of("open", "text:still served", "close:1000"), listener.awaitEvents(3),
                    "only the client served after it");
        }
        awaitServerThreads(threadsBefore);
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void aFatalAlertInTheMiddleOfTheTlsHandshakeOpensNothing(Transport base) throws Exception {
        int threadsBefore = serverThreads();
        ServerSide listener = new ServerSide();
        try (WebSocketServer server = server(base, listener);
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
            SSLEngine engine = TlsSupport.jsseClient().createSSLEngine("localhost", server.port());
            engine.setUseClientMode(true);
            ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), hello);
            OutputStream out = plain.getOutputStream();
            out.write(hello.array(), 0, hello.position());
            out.flush();
            plain.setSoTimeout((int) WAIT.toMillis());
            assertEquals(0x16, plain.getInputStream().read(), "the server's first handshake record");
            out.write(HANDSHAKE_FAILURE);
            out.flush();

            assertTrue(endedByServer(plain), "the server closed the connection");
            plain.close();
            assertServesOthers(server, client);
            awaitNoConnections(server);
            assertEquals(List.of("open", "text:still served", "close:1000"), listener.awaitEvents(3),
                    "only the client served after it");
        }
        awaitServerThreads(threadsBefore);
    }

    // ------------------------------------------------------------------------------------------
    // Our client, a raw TLS server

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void aServersTlsEndInTheMiddleOfAMessageIs1006ToTheClient(Transport base, Fault fault) throws Exception {
        try (RawTlsServer peer = new RawTlsServer();
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            CompletableFuture<WebSocket> connecting = client.connect(peer.uri(), inbox);
            SSLSocket tls = peer.accept();
            acceptUpgrade(tls);
            WebSocket ws = await(connecting);
            OutputStream out = tls.getOutputStream();
            out.write(PARTIAL_FRAME);
            out.flush();
            peer.inject(fault, tls);

            CloseStatus status = inbox.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, status.code(), status.toString());
            assertTrue(inbox.messages.isEmpty(), "no message from 3 of 10 bytes: " + inbox.messages);
            assertTrue(endedByPeerOf(tls), "the client closed the connection");
            assertEquals(ReadyState.CLOSED, ws.readyState());
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void aServersTlsEndInTheMiddleOfThe101FailsTheConnect(Transport base, Fault fault) throws Exception {
        try (RawTlsServer peer = new RawTlsServer();
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            CompletableFuture<WebSocket> connecting = client.connect(peer.uri(), inbox);
            SSLSocket tls = peer.accept();
            HandshakeRequest request = readRequest(tls.getInputStream());
            byte[] response = ServerHandshake.encode(ServerHandshake.accept(request, "", List.of(), HttpHeaders.empty()));
            OutputStream out = tls.getOutputStream();
            out.write(response, 0, response.length / 2);
            out.flush();
            peer.inject(fault, tls);

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            // as a FIN and a reset do in the fault matrix: close_notify is the end of the input before the
            // whole 101 (a HandshakeException saying so); a bad record or an alert is a read error
            Class<? extends Exception> expected = fault == Fault.CLOSE_NOTIFY ? HandshakeException.class
                    : javax.net.ssl.SSLException.class;
            assertInstanceOf(expected, failed.getCause(), failed.toString());
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, inbox.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).code());
            assertTrue(endedByPeerOf(tls), "the client closed the connection");
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void aFatalAlertInTheTlsHandshakeFailsTheConnectWith1015(Transport base) throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsSupport.Inbox inbox = new TlsSupport.Inbox();
            CompletableFuture<WebSocket> connecting = client.connect(
                    java.net.URI.create("wss://127.0.0.1:" + listening.getLocalPort() + "/echo"), inbox);
            try (Socket plain = listening.accept()) {
                plain.setSoTimeout((int) WAIT.toMillis());
                assertEquals(0x16, plain.getInputStream().read(), "the ClientHello's record");
                plain.getOutputStream().write(HANDSHAKE_FAILURE);
                plain.getOutputStream().flush();
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertInstanceOf(TlsHandshakeException.class, failed.getCause(), failed.toString());
                assertEquals(CloseCodes.TLS_HANDSHAKE, inbox.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).code());
                assertTrue(endedByServer(plain), "the client closed the connection");
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Records a server's callbacks: "open", "text:...", "close:CODE". */
    static final class ServerSide implements WebSocketListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocket webSocket) {
            events.add("open");
        }

        @Override
        public void onText(WebSocket webSocket, String text) {
            events.add("text:" + text);
            webSocket.sendText(text);
        }

        @Override
        public void onClose(WebSocket webSocket, CloseStatus status) {
            events.add("close:" + status.code());
        }

        /**
         * The events once there are {@code count} of them (or the wait is over): the server counts a
         * connection as ended before its listener's onClose has run, so the count alone is too early.
         */
        List<String> awaitEvents(int count) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (events.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return List.copyOf(events);
        }

        String awaitClose() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            String event;
            do {
                event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while (event != null && !event.startsWith("close:") && !event.startsWith("text:"));
            return event;
        }
    }

    /** A TLS server socket with the development certificate, accepting one raw peer. */
    static final class RawTlsServer implements AutoCloseable {
        private final ServerSocket plainListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private Socket plain;

        RawTlsServer() throws IOException {
        }

        java.net.URI uri() {
            return java.net.URI.create("wss://127.0.0.1:" + plainListener.getLocalPort() + "/echo");
        }

        /** The next connection, its TLS handshake done as the server. */
        SSLSocket accept() throws Exception {
            plain = plainListener.accept();
            plain.setSoTimeout((int) WAIT.toMillis());
            SSLSocket tls = (SSLSocket) serverContext().getSocketFactory().createSocket(plain, null, false);
            tls.setUseClientMode(false);
            tls.startHandshake();
            return tls;
        }

        void inject(Fault fault, SSLSocket tls) throws IOException {
            fault.inject(tls, plain);
        }

        @Override
        public void close() throws IOException {
            if (plain != null) {
                plain.close();
            }
            plainListener.close();
        }
    }

    private static WebSocketServer server(Transport base, WebSocketListener listener) throws IOException {
        return WebSocketServer.builder()
                .route("/echo", listener)
                .connection(TlsSupport.fast())
                .transport(TlsTransport.server(LOCALHOST.serverConfig()).over(base))
                .start();
    }

    private static void assertServesOthers(WebSocketServer server, WebSocketClient client) throws Exception {
        TlsSupport.Inbox inbox = new TlsSupport.Inbox();
        WebSocket ws = await(client.connect(TlsSupport.wss(server), inbox));
        ws.sendText("still served");
        assertEquals("still served", inbox.next());
        assertEquals(CloseCodes.NORMAL_CLOSURE, await(ws.close()).code());
    }

    private static SSLSocket layered(Socket plain, int port) throws Exception {
        plain.setSoTimeout((int) WAIT.toMillis());
        SSLSocket tls = (SSLSocket) TlsSupport.jsseClient().getSocketFactory().createSocket(plain, "localhost", port, false);
        tls.startHandshake();
        return tls;
    }

    private static SSLContext serverContext() throws Exception {
        char[] password = "changeit".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(LOCALHOST.keyStore(password), password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static byte[] upgradeRequest() {
        return ("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the head ended early: " + head);
            }
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static HandshakeRequest readRequest(InputStream in) throws Exception {
        byte[] head = readHead(in).getBytes(StandardCharsets.ISO_8859_1);
        return HttpHeadParser.requests(16 << 10).parseRequest(ByteBuffer.wrap(head));
    }

    private static void acceptUpgrade(SSLSocket tls) throws Exception {
        HandshakeRequest request = readRequest(tls.getInputStream());
        OutputStream out = tls.getOutputStream();
        out.write(ServerHandshake.encode(ServerHandshake.accept(request, "", List.of(), HttpHeaders.empty())));
        out.flush();
    }

    /** Whether the other side closed: the plain socket reads to its end (or a reset) within the wait. */
    private static boolean endedByServer(Socket plain) throws IOException {
        return ended(plain, plain.getInputStream());
    }

    /** The same through the TLS socket: its end of data, an alert, or a reset. */
    private static boolean endedByPeerOf(SSLSocket tls) throws IOException {
        return ended(tls, tls.getInputStream());
    }

    /** Reads (and drops: the last TLS records, a close frame) until the end, an error, or the wait. */
    private static boolean ended(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout((int) WAIT.toMillis());
        byte[] drain = new byte[4096];
        try {
            while (in.read(drain) >= 0) {
                // what the other side still sent before it closed
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException endedWithAnAlertOrAReset) {
            return true;
        }
    }

    private static void awaitNoConnections(WebSocketServer server) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.metrics().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.metrics().openConnections(), "every connection ended");
        assertEquals(0, server.connectionCount());
    }

    /** Connection threads of platform-thread servers are named ws-server-*; virtual ones are not listed. */
    private static void awaitServerThreads(int before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (serverThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(before, serverThreads(), "no connection thread is left");
    }
}
