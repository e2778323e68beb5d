package com.example.chat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * A chat room: every text a member sends goes to every member as {@code "<id>: <text>"}; a member
 * that sends {@code /quit} is closed with 1000 "bye"; joins and leaves are announced.
 */
public final class ChatRoom implements WebSocketListener {
    private final Set<WebSocket> members = ConcurrentHashMap.newKeySet();

    /** The server's options as production uses them: the room on /chat, keepalive and idle timeout. */
    public ServerOptions.Builder serverOptions() {
        return WebSocketServer.builder()
                .route("/chat", this)
                .connection(c -> c.withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(10))
                        .withIdleTimeout(Duration.ofMinutes(10)));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        members.add(webSocket);
        say("* " + webSocket.id() + " joined");
    }

    @Override
    public void onText(WebSocket webSocket, String text) {
        if (text.equals("/quit")) {
            webSocket.close(CloseCodes.NORMAL_CLOSURE, "bye");
            return;
        }
        say(webSocket.id() + ": " + text);
    }

    @Override
    public void onClose(WebSocket webSocket, CloseStatus status) {
        if (members.remove(webSocket)) {
            say("* " + webSocket.id() + " left (" + status.code() + ")");
        }
    }

    /** How many members are in the room. */
    public int size() {
        return members.size();
    }

    private void say(String line) {
        for (WebSocket member : members) {
            member.sendText(line).exceptionally(error -> null); // a member leaving meanwhile is not an error
        }
    }
}
