package ws.interop;

import java.util.Map;
import java.util.regex.Pattern;
import ws.events.EventServer;
import ws.events.Recovery;
import ws.events.RefusedException;
import ws.protocol.api.WebSocketServer;
import ws.protocol.api.Transport;

/**
 * Our event server as interop/node/sio-client.mjs expects it: acks, pushes, questions, binary, an
 * authenticated namespace, dynamic namespaces, rooms, recovery and a server-side disconnect.
 */
final class SocketIoScenario implements AutoCloseable {
    private final EventServer events;
    private volatile WebSocketServer server;

    private SocketIoScenario(String transport) throws Exception {
        events = EventServer.builder().recovery(Recovery.defaults()).build();
        events.sockets().onConnection(socket -> socket
                .on("echo", event -> event.ack(event.args().get(0)))
                .on("sum", event -> event.ack(event.args().get(0, int.class) + event.args().get(1, int.class)))
                .on("push-me", String.class, (text, event) -> socket.emit("pushed", text))
                .on("ask-me", event -> socket.emitWithAck("question", "ready?")
                        .thenAccept(answer -> socket.emit("answer", answer.get(0, String.class))))
                .on("binary", event -> {
                    byte[] content = event.args().get(0).get("content").binaryValue();
                    event.ack(Map.of("content", content, "extra", new byte[] {7, 8, 9}));
                })
                .on("join", String.class, (room, event) -> {
                    socket.join(room);
                    event.ack(room);
                })
                .on("shout", String.class, String.class, (room, text, event) -> socket.to(room).emit("shout", text))
                .on("subscribe", event -> {
                    socket.join("news");
                    event.ack("subscribed");
                })
                .on("news-now", event -> events.sockets().to("news").emit("news", 0))
                .on("news-when-gone", event -> socket.onDisconnect(reason -> {
                    if (reason.recoverable()) {
                        for (int n = 1; n <= 3; n++) {
                            events.sockets().to("news").emit("news", n);
                        }
                    }
                }))
                .on("kick-me", event -> socket.disconnect(false))
                // the network fails: every WebSocket of the server is aborted, no close handshake
                .on("drop-me", event -> server.connections().forEach(ws.protocol.api.WebSocket::abort)));
        events.of("/secure")
                .use(socket -> {
                    if (!"s3cret".equals(socket.handshake().authField("token").orElse(""))) {
                        throw new RefusedException("not authorized", Map.of("code", 401));
                    }
                })
                .onConnection(socket -> socket.on("whoami", event ->
                        event.ack(socket.handshake().authField("token").orElse(""))));
        events.of(Pattern.compile("/team-\\d+")).onConnection(socket -> socket.on("where", event ->
                event.ack(socket.namespace().name())));
        server = events.mount(WebSocketServer.builder().host("127.0.0.1").port(0).transport(Transport.named(transport))).start();
    }

    static SocketIoScenario start(String transport) throws Exception {
        return new SocketIoScenario(transport);
    }

    /** The base URL for socket.io-client: {@code http://127.0.0.1:PORT}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        events.close();
        server.close();
    }
}
