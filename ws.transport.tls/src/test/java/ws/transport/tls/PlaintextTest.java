package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeException;

/** Plaintext meets TLS, both ways: each side answers at once with a clear reason, nothing hangs. */
class PlaintextTest {

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void plainHttpOnATlsPortGets400InPlainText(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            assertTrue(answer.contains("This port speaks TLS: connect with wss://"), answer);
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void plainWsClientOnATlsPortFailsWithTheStatus(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             WebSocketClient client = WebSocketClient.builder().connection(TlsSupport.fast()).transport(base).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(
                    URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new TlsSupport.Inbox()).get(30, TimeUnit.SECONDS));
            HandshakeException refused = assertInstanceOf(HandshakeException.class, e.getCause(), () -> e.getCause().toString());
            assertEquals(400, refused.status());
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void garbageOnATlsPortIsClosed(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {0x01, 0x02, 0x03});
            try {
                assertEquals(-1, socket.getInputStream().read());
            } catch (java.net.SocketException reset) {
                assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void wssClientOnAPlainPortSaysTheServerIsNotTls(Transport base) throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().route("/echo", new TlsSupport.Echo())
                .connection(TlsSupport.fast()).transport(base).start();
             WebSocketClient client = TlsSupport.client(base, LOCALHOST.clientConfig())) {
            TlsHandshakeException e = TlsSupport.refused(client.connect(TlsSupport.wss(server), new TlsSupport.Inbox()));
            assertEquals(TlsHandshakeException.Reason.NOT_TLS, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("ws:// port"), e.getMessage());
            // the plain server goes on
            try (WebSocketClient plain = WebSocketClient.builder().connection(TlsSupport.fast()).transport(base).build()) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                await(plain.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), inbox)).sendText("plain");
                assertEquals("plain", inbox.next());
            }
        }
    }
}
