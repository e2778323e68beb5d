package com.example.greeting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Both ports serve: a WebSocket client greets through ws, and Spring's /status sees it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ws.port=0")
class GreetingApplicationTest {
    @LocalServerPort
    int httpPort;

    @Autowired
    ws.protocol.api.WebSocketServer webSocketServer;

    @Test
    void theWebSocketServerRunsBesideSpringsWebServer() throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + webSocketServer.port() + "/greet"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            webSocket.request(1); // read on: the server's close reply comes next
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(20, TimeUnit.SECONDS);
            ws.sendText("Ada", true).get(20, TimeUnit.SECONDS);
            assertEquals("hello, Ada", reply.get(20, TimeUnit.SECONDS));

            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/status"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode());
            assertTrue(status.body().contains("\"connections\":1") && status.body().contains("\"greetings\":1"), status.body());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
            assertEquals(WebSocket.NORMAL_CLOSURE, closed.get(20, TimeUnit.SECONDS));
        }
    }
}
