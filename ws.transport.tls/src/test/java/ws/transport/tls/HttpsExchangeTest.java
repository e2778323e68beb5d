package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeResponse;

/** Plain HTTP exchanges over TLS: keep-alive with a real client, then an upgrade on the same TLS connection. */
class HttpsExchangeTest {

    private static WebSocketServer server(Transport base, List<String> peers) throws IOException {
        return WebSocketServer.builder()
                .route("/echo", new TlsSupport.Echo())
                .http("/peer", exchange -> {
                    peers.add(exchange.remoteAddress().toString());
                    exchange.respond(HandshakeResponse.text(200, new String(exchange.body(), StandardCharsets.UTF_8)));
                })
                .http("/*", HttpHandler.responding(request -> HandshakeResponse.text(200, request.method() + " "
                        + request.path())))
                .connection(TlsSupport.fast())
                .transport(TlsTransport.server(TlsSupport.LOCALHOST.serverConfig()).over(base))
                .start();
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void theJdkClientKeepsOneTlsConnectionForSeveralRequests(Transport base) throws Exception {
        List<String> peers = new CopyOnWriteArrayList<>();
        SSLContext context = TlsSupport.LOCALHOST.clientConfig().createContext();
        try (WebSocketServer server = server(base, peers);
             HttpClient http = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build()) {
            URI uri = URI.create("https://localhost:" + server.port() + "/peer");
            for (String body : List.of("one", "two", "three")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals(body, response.body());
            }
            assertEquals(3, peers.size());
            assertEquals(1, peers.stream().distinct().count(), "one connection for every request: " + peers);
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void twoExchangesThenAnUpgradeOnOneTlsConnection(Transport base) throws Exception {
        SSLContext context = TlsSupport.LOCALHOST.clientConfig().createContext();
        try (WebSocketServer server = server(base, new CopyOnWriteArrayList<>());
             SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TlsSupport.WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(in).endsWith("GET /index.html"));
            out.write("POST /peer HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(in).endsWith("hello"));
            out.write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            // a masked text frame "hi" (RFC 6455 section 5.7), echoed unmasked
            out.write(new byte[] {(byte) 0x81, (byte) 0x82, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x5f, (byte) 0x93});
            byte[] echoed = in.readNBytes(4);
            assertEquals("81 02 68 69", java.util.HexFormat.ofDelimiter(" ").formatHex(echoed));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of input in a response head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A response's head and its Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
