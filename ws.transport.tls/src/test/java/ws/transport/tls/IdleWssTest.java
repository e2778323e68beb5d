package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.await;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketServer;
import ws.transport.eventloop.EventLoopTransport;

/**
 * On the event loops an idle wss:// connection holds no network buffer: its TLS borrows the loop's
 * scratch buffers for each read and write and keeps only leftovers, which are gone once the bytes
 * moved. Checked by the TLS layer's own count of connections holding network bytes, both sides.
 */
class IdleWssTest {
    private static final int CONNECTIONS = 50;

    @Test
    void idleWssConnectionsOnTheEventLoopsHoldNoNetworkBuffer() throws Exception {
        EventLoopTransport loops = new EventLoopTransport(2);
        try (WebSocketServer server = TlsSupport.echoServer(loops, LOCALHOST.serverConfig());
             WebSocketClient client = TlsSupport.client(loops, LOCALHOST.clientConfig())) {
            List<WebSocket> open = new ArrayList<>();
            List<TlsSupport.Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                TlsSupport.Inbox inbox = new TlsSupport.Inbox();
                WebSocket webSocket = await(client.connect(TlsSupport.wss(server), inbox));
                webSocket.sendText("a message of " + i + " ".repeat(i * 100)); // up to ~5 KB, one record
                open.add(webSocket);
                inboxes.add(inbox);
            }
            for (TlsSupport.Inbox inbox : inboxes) {
                inbox.next();
            }
            assertEquals(CONNECTIONS, server.connectionCount());
            long deadline = System.nanoTime() + TlsSupport.WAIT.toNanos();
            while (EngineChannel.buffersHeld() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, EngineChannel.buffersHeld(), "network buffers held by " + 2 * CONNECTIONS + " idle connections");
            for (WebSocket webSocket : open) {
                assertEquals("TLSv1.3", webSocket.tlsSession().orElseThrow().getProtocol());
            }
        }
    }
}
