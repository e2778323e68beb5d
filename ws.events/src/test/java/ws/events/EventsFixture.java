package ws.events;

import org.junit.jupiter.api.AfterEach;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

/**
 * An event server on a real loopback socket (or, when {@link #onLoopback()} says so, on the
 * testkit's in-memory loopback transport, whose clock is the same as the server's timers'), and a
 * WebSocket client for raw peers.
 */
abstract class EventsFixture {
    final ManualScheduler clock = new ManualScheduler();
    EventServer events;
    WebSocketServer server;
    WebSocketClient client;

    /** Starts a server with the test's clock; {@code configure} adds to the builder. */
    EventServer start(java.util.function.UnaryOperator<EventServer.Builder> configure) throws Exception {
        events = configure.apply(EventServer.builder().scheduler(clock)).build();
        if (onLoopback()) {
            server = events.mount(WebSocketServer.builder().port(0).transport(clock.loopback())).start();
            client = clock.loopback().client();
        } else {
            server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(0)).start();
            client = WebSocketClient.create();
        }
        return events;
    }

    /** Whether the tests run on the testkit's loopback transport instead of sockets. */
    boolean onLoopback() {
        return false;
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
