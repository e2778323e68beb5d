package ws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseStatus;
import ws.protocol.PreparedMessage;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;

class LoopbackTest {

    @Test
    void aHandlerRunsThroughTheNormalBuildersOnLoopback() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).route("/echo", new Echo()).start();
            WebSocketClient client = WebSocketClient.builder().transport(net).build();
            Events events = new Events();
            WebSocket ws = client.connect(net.uri(server, "/echo"), events).get(30, TimeUnit.SECONDS);
            assertEquals("open", events.next());
            ws.sendText("hello");
            assertEquals("text:HELLO", events.next());
            ws.sendBinary(ByteBuffer.wrap("raw".getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("binary:raw", events.next());
            ws.sendText("bye");
            CloseStatus status = events.awaitClose();
            assertEquals(1000, status.code());
            assertEquals("bye", status.reason());
            assertEquals(0, events.overlaps.get());
            assertEquals("loopback", server.address().getHostString());
        }
    }

    @Test
    void manyClientsAndABroadcast() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/room", new Echo());
            WebSocketClient client = net.client();
            List<Events> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Events events = new Events();
                client.connect(net.uri(server, "/room"), events).get(30, TimeUnit.SECONDS);
                all.add(events);
            }
            assertEquals(20, server.connectionCount());
            server.broadcast(PreparedMessage.text("news"));
            for (Events events : all) {
                assertEquals("open", events.next());
                assertEquals("text:news", events.next());
            }
            assertEquals(20, net.links().size());
        }
    }

    @Test
    void nothingListeningRefusesTheConnection() {
        try (Loopback net = Loopback.create()) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> net.client().connect(net.uri(4242, "/"), new Events()).get(30, TimeUnit.SECONDS));
            assertInstanceOf(ConnectException.class, failed.getCause());
        }
    }

    @Test
    void aServerThatIsClosedLeavesItsPortFree() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = WebSocketServer.builder().transport(net).port(8080).route("/", new Echo()).start();
            assertEquals(8080, server.port());
            assertThrows(java.net.BindException.class,
                    () -> WebSocketServer.builder().transport(net).port(8080).route("/", new Echo()).start());
            server.close();
            WebSocketServer again = WebSocketServer.builder().transport(net).port(8080).route("/", new Echo()).start();
            assertEquals(8080, again.port());
        }
    }

    @Test
    void closingTheNetworkEndsEveryConnection() throws Exception {
        List<WebSocket> clients = new ArrayList<>();
        List<Events> listeners = new ArrayList<>();
        WebSocketServer server;
        RawPeer raw;
        Loopback net = Loopback.create();
        try (net) {
            server = net.startServer("/", new Echo());
            for (int i = 0; i < 5; i++) {
                Events events = new Events();
                listeners.add(events);
                clients.add(net.client().connect(net.uri(server, "/"), events).get(30, TimeUnit.SECONDS));
            }
            assertEquals(10, net.connectionThreads(), "a thread per connection end");
            raw = net.rawClient(server);
            raw.handshake("/");
        }
        for (Events events : listeners) {
            assertEquals(1001, events.awaitClose().code(), "the server's shutdown says going away");
        }
        for (WebSocket ws : clients) {
            ws.closeFuture().get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, server.connectionCount());
        assertTrue(net.links().stream().allMatch(Link::isClosed), net.links().toString());
        assertEquals(0, net.connectionThreads(), "every connection thread ended");
    }

    @Test
    void theLinkOfAConnectionIsFoundFromEitherSide() throws Exception {
        try (Loopback net = Loopback.create()) {
            WebSocketServer server = net.startServer("/", new Echo());
            WebSocket ws = net.client().connect(net.uri(server, "/"), new Events()).get(30, TimeUnit.SECONDS);
            Link link = net.link(ws);
            WebSocket serverSide = server.connections().iterator().next();
            assertEquals(link, net.link(serverSide));
            assertTrue(link.toServer().bytesSent() > 0);
        }
    }
}
