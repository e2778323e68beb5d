package com.example.quickstart;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;

/** Sends "hello" to the echo server, prints the reply, closes. */
public final class EchoClient {
    public static void main(String[] args) throws InterruptedException, ExecutionException {
        URI uri = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:8080/echo");
        CompletableFuture<String> reply = new CompletableFuture<>();
        try (WebSocketClient client = WebSocketClient.builder()
                .header("Authorization", "Bearer my-token")
                .build()) {
            WebSocket ws = client.connect(uri, new WebSocketListener() {
                @Override
                public void onText(WebSocket socket, String text) {
                    reply.complete(text);
                }
            }).get();
            ws.sendText("hello").get();
            System.out.println("< " + reply.get());
            CloseStatus status = ws.close().get(); // 1000, after the server's reply
            System.out.println("closed with " + status.code());
        }
    }
}
