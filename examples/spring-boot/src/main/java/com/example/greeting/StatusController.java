package com.example.greeting;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import ws.protocol.api.WebSocketServer;

/** Spring MVC on Spring's port, reading the WebSocket server's state. */
@RestController
public class StatusController {
    private final WebSocketServer webSocketServer;
    private final Greetings greetings;

    public StatusController(WebSocketServer webSocketServer, Greetings greetings) {
        this.webSocketServer = webSocketServer;
        this.greetings = greetings;
    }

    /** The WebSocket port, its open connections, and the greetings made so far. */
    @GetMapping("/status")
    public Map<String, Object> status() {
        return Map.of("webSocketPort", webSocketServer.port(), "connections", webSocketServer.connectionCount(),
                "greetings", greetings.count());
    }
}
