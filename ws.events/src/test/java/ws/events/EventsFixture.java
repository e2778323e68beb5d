package ws.events;

import org.junit.jupiter.api.AfterEach;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/** An event server on a real loopback socket, and a WebSocket client for raw peers. */
abstract class EventsFixture {
    final ManualScheduler clock = new ManualScheduler();
    EventServer events;
    WebSocketServer server;
    WebSocketClient client;

    /** Starts a server with the test's clock; {@code configure} adds to the builder. */
    EventServer start(java.util.function.UnaryOperator<EventServer.Builder> configure) throws Exception {
        events = configure.apply(EventServer.builder().scheduler(clock)).build();
        server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(0)).start();
        client = WebSocketClient.create();
        return events;
    }

    RawClient raw() throws Exception {
        return RawClient.open(client, server.port(), "/socket.io/");
    }

    int port() {
        return server.port();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (events != null) {
            events.close();
        }
        if (server != null) {
            server.close();
        }
        clock.close();
    }
}
