package com.example.chat;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ws.protocol.CloseStatus;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * Runs the chat room on {@code ws://127.0.0.1:8080/chat} (or the port given). With
 * {@code --self-test}, checks the runtime it runs in (the jlink image in the build): starts the room
 * on a free port with the transport ServiceLoader finds, joins it, talks, leaves, and exits 0.
 */
public final class Main {
    private static final long WAIT_SECONDS = 20;

    private Main() {
    }

    /** Starts the chat server, or runs the self-test. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--self-test")) {
            System.exit(selfTest() ? 0 : 1);
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        WebSocketServer server = new ChatRoom().serverOptions().host("127.0.0.1").port(port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // Ctrl-C: 1001 to every member
        System.out.println("chat room on ws://127.0.0.1:" + server.port() + "/chat");
    }

    private static boolean selfTest() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        try (WebSocketServer server = new ChatRoom().serverOptions().host("127.0.0.1").port(0).start();
             WebSocketClient client = WebSocketClient.create()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/chat");
            WebSocket member = client.connect(uri, new WebSocketListener() {
                @Override
                public void onText(WebSocket webSocket, String text) {
                    heard.add(text);
                }
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            String joined = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            member.sendText("hello");
            String said = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            CloseStatus closed = member.close().get(WAIT_SECONDS, TimeUnit.SECONDS);
            boolean passed = joined != null && joined.endsWith(" joined") && said != null && said.endsWith(": hello")
                    && closed.code() == 1000;
            System.out.println("self-test " + (passed ? "passed" : "FAILED") + " on transport \""
                    + Transport.defaultTransport().name() + "\": heard [" + joined + "], [" + said + "], closed " + closed.code());
            return passed;
        }
    }
}
