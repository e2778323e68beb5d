package com.example.greeting;

import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;

/**
 * The WebSocket server as a Spring bean: started when the context starts, closed (1001 to every
 * client, a bounded wait) when it stops. Its listener is wired with Spring's services.
 */
@Configuration
public class WebSocketConfiguration {

    /** ws://HOST:ws.port/greet answers every text message with a greeting. */
    @Bean(destroyMethod = "close")
    public WebSocketServer webSocketServer(@Value("${ws.host:127.0.0.1}") String host, @Value("${ws.port:8081}") int port,
                                           Greetings greetings) throws IOException {
        return WebSocketServer.builder()
                .host(host)
                .port(port)
                .route("/greet", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(greetings.greet(text));
                    }
                })
                .start();
    }
}
