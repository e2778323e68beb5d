package com.example.quickstart;

import java.io.IOException;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/** An echo server on ws://127.0.0.1:8080/echo (or on the port given). */
public final class EchoServer {
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080; // 0: any free port
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1") // "0.0.0.0" to accept other machines
                .port(port)
                .route("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }
                })
                .start();
        // Ctrl-C: 1001 to every client, wait for them up to the close timeout, stop
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("listening on ws://127.0.0.1:" + server.port() + "/echo");
    }
}
