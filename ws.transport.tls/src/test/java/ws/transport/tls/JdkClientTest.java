package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;

/** The JDK's own WebSocket client (java.net.http) over wss:// to our server, with a custom SSLContext. */
class JdkClientTest {

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void jdkClientEchoesOverWss(Transport base) throws Exception {
        SSLContext context = TlsSupport.LOCALHOST.clientConfig().createContext();
        try (WebSocketServer server = TlsSupport.echoServer(base, TlsSupport.LOCALHOST.serverConfig());
             HttpClient http = HttpClient.newBuilder().sslContext(context).build()) {
            CompletableFuture<String> received = new CompletableFuture<>();
            StringBuilder text = new StringBuilder();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + server.port() + "/echo"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                received.complete(text.toString());
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            String message = "jdk over tls ".repeat(5000);
            ws.sendText(message, true).get(10, TimeUnit.SECONDS);
            assertEquals(message, received.get(10, TimeUnit.SECONDS));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void jdkClientWithTheDefaultContextRefusesADevelopmentCertificate(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, TlsSupport.LOCALHOST.serverConfig());
             HttpClient http = HttpClient.newHttpClient()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://localhost:" + server.port() + "/echo"), new WebSocket.Listener() {
                    }).get(10, TimeUnit.SECONDS));
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof SSLHandshakeException)) {
                cause = cause.getCause();
            }
            assertEquals(SSLHandshakeException.class, cause == null ? null : cause.getClass(), e.toString());
        }
    }
}
