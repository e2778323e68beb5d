package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.transport.eventloop.EventLoopTransport;

/**
 * The end of a server connection on the event loop: one whose output is already ended when its input
 * ends (a close handshake, or the peer gone without one: nearly every connection) finishes on its
 * loop, with no thread started for it (the server's count of ends handed off stays 0), and its
 * {@code onClose} still comes with the right status. One that still has output to write hands its
 * end to a thread, which waits for that output within the close timeout, as before. A socket whose
 * output is shut when its connection ends on the loop is closed after the selector has dropped its
 * key (one system call, where a registered channel's close costs the JDK two more).
 */
class ConnectionEndOnLoopTest {
    private static final int CONNECTIONS = 20;
    /** A masked close frame with code 1000 (mask 1, 2, 3, 4). */
    private static final byte[] CLOSE_1000 = {(byte) 0x88, (byte) 0x82, 1, 2, 3, 4, (byte) (0x03 ^ 1), (byte) (0xE8 ^ 2)};
    /** The server's close frame echoing it. */
    private static final byte[] CLOSE_1000_ECHOED = {(byte) 0x88, 2, 0x03, (byte) 0xE8};
    /** More than loopback sockets buffer: a client that reads none of it leaves most unwritten. */
    private static final int LARGE = 48 << 20;

    private final BlockingQueue<CloseStatus> closed = new LinkedBlockingQueue<>();

    private WebSocketServer start(boolean sendLarge) throws IOException {
        return WebSocketServer.builder().transport(new EventLoopTransport(1)).port(0).host("127.0.0.1")
                .connection(ConnectionOptions.defaults().withCloseTimeout(Duration.ofMillis(500)))
                .route("/ws", new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        if (sendLarge) {
                            webSocket.sendBinary(ByteBuffer.allocate(LARGE));
                        }
                    }

                    @Override
                    public void onClose(WebSocket webSocket, CloseStatus status) {
                        closed.add(status);
                    }
                })
                .start();
    }

    private static Socket upgraded(WebSocketServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the server closed after " + head);
            head.write(b);
        }
        assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101 "), head.toString());
        return socket;
    }

    private CloseStatus nextClose() throws InterruptedException {
        CloseStatus status = closed.poll(30, TimeUnit.SECONDS);
        assertTrue(status != null, "onClose was not called");
        return status;
    }

    @Test
    void connectionsEndedByACloseHandshakeFinishOnTheLoop() throws Exception {
        try (WebSocketServer server = start(false)) {
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket socket = upgraded(server)) {
                    socket.getOutputStream().write(CLOSE_1000);
                    InputStream in = socket.getInputStream();
                    assertEquals(ByteBuffer.wrap(CLOSE_1000_ECHOED), ByteBuffer.wrap(in.readNBytes(CLOSE_1000_ECHOED.length)));
                    assertEquals(-1, in.read(), "the server closes the TCP connection after the close handshake");
                }
                assertEquals(CloseCodes.NORMAL_CLOSURE, nextClose().code());
            }
            assertEquals(0, ((LoopServer) server).finishesHandedOff(), "connection ends handed to a thread");
            Loop loop = ((LoopServer) server).group().first();
            for (int i = 0; i < 1000 && loop.closedUnregistered() < CONNECTIONS; i++) {
                Thread.sleep(10); // each is closed at the loop's next select
            }
            assertEquals(CONNECTIONS, loop.closedUnregistered(),
                    "sockets closed on the loop after the selector dropped their key (their output was shut)");
        }
    }

    @Test
    void connectionsWhosePeerLeftWithoutAClosingHandshakeFinishOnTheLoop() throws Exception {
        try (WebSocketServer server = start(false)) {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = upgraded(server);
                if (i % 2 == 0) {
                    socket.shutdownOutput(); // a FIN: the end of input
                    assertEquals(-1, socket.getInputStream().read(), "the server ends its output too");
                }
                socket.close();
                assertEquals(CloseCodes.ABNORMAL_CLOSURE, nextClose().code());
            }
            assertEquals(0, ((LoopServer) server).finishesHandedOff(), "connection ends handed to a thread");
        }
    }

    @Test
    void aConnectionWithOutputLeftToWriteEndsOnAThreadWithinTheCloseTimeout() throws Exception {
        try (WebSocketServer server = start(true); Socket socket = upgraded(server)) {
            socket.shutdownOutput(); // the input ends while most of the large message is unwritten
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, nextClose().code());
            assertEquals(1, ((LoopServer) server).finishesHandedOff(), "connection ends handed to a thread");
        }
    }
}
