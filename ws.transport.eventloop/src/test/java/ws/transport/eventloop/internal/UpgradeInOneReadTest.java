package ws.transport.eventloop.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;
import ws.transport.eventloop.EventLoopTransport;

/**
 * The HTTP phase and an upgrade request that arrives whole in one read (nearly every one): parsed in
 * the loop's read buffer, the phase makes no input buffer of its own (the server's count of them),
 * and what came after the head in that read (a frame sent early) reaches the WebSocket; the same for a
 * whole plain request. A head cut in two goes the buffered way and still upgrades.
 */
class UpgradeInOneReadTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final int CONNECTIONS = 20;

    private static String upgrade(int port) {
        return "GET /echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    /** A masked text frame "hi" (mask 1, 2, 3, 4). */
    private static final byte[] HI = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, (byte) ('h' ^ 1), (byte) ('i' ^ 2)};
    /** The server's unmasked echo of it. */
    private static final byte[] HI_ECHOED = {(byte) 0x81, 2, 'h', 'i'};

    private static WebSocketServer start() throws IOException {
        return WebSocketServer.builder().transport(new EventLoopTransport(1)).port(0).host("127.0.0.1")
                .route("/echo", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, String text) {
                        webSocket.sendText(text);
                    }
                })
                .http("/plain", exchange -> exchange.respond(new HandshakeResponse(204, "No Content", HttpHeaders.of(), new byte[0])))
                .start();
    }

    /** Reads one response head (up to the empty line), byte by byte. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            assertTrue(b >= 0, "the server closed after " + bytes);
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
    }

    private static void assertUpgraded(InputStream in) throws IOException {
        String head = head(in);
        assertTrue(head.startsWith("HTTP/1.1 101 "), head);
        assertTrue(head.contains("Sec-WebSocket-Accept: " + ACCEPT + "\r\n"), head);
    }

    private static void assertEchoed(InputStream in) throws IOException {
        assertArrayEquals(HI_ECHOED, in.readNBytes(HI_ECHOED.length));
    }

    @Test
    void wholeUpgradeRequestsInOneReadMakeNoInputBufferAndKeepWhatFollowedThem() throws Exception {
        try (WebSocketServer server = start()) {
            LoopServer loops = (LoopServer) server;
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = new Socket("127.0.0.1", server.port());
                    sockets.add(socket);
                    ByteArrayOutputStream request = new ByteArrayOutputStream();
                    request.write(upgrade(server.port()).getBytes(StandardCharsets.US_ASCII));
                    request.write(HI); // a frame sent right behind the request, in the same write
                    socket.getOutputStream().write(request.toByteArray());
                    socket.getOutputStream().flush();
                    assertUpgraded(socket.getInputStream());
                    assertEchoed(socket.getInputStream());
                }
                assertEquals(0, loops.inputBuffers(), "input buffers of the HTTP phase for whole upgrade requests");
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aHeadCutInTwoGoesTheBufferedWayAndStillUpgrades() throws Exception {
        try (WebSocketServer server = start(); Socket cut = new Socket("127.0.0.1", server.port())) {
            byte[] request = upgrade(server.port()).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = cut.getOutputStream();
            out.write(request, 0, 20);
            out.flush();
            Thread.sleep(100); // most likely read apart; either way the upgrade must succeed
            out.write(request, 20, request.length - 20);
            out.write(HI);
            out.flush();
            assertUpgraded(cut.getInputStream());
            assertEchoed(cut.getInputStream());
        }
    }

    /**
     * A plain request that arrives whole in one read (a GET, a POST with its body) is parsed once, in
     * the loop's read buffer, and served from it: no input buffer either (it was parsed there, then
     * copied into one and parsed again). Requests pipelined behind one in the same read are kept and
     * answered in order after it.
     */
    @Test
    void wholePlainRequestsInOneReadMakeNoInputBufferAndPipelinedOnesAreAnswered() throws Exception {
        try (WebSocketServer server = start()) {
            LoopServer loops = (LoopServer) server;
            for (int i = 0; i < CONNECTIONS; i++) {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write("GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertTrue(head(socket.getInputStream()).startsWith("HTTP/1.1 204 "));
                    out.write("POST /plain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertTrue(head(socket.getInputStream()).startsWith("HTTP/1.1 204 "));
                    out.write(upgrade(server.port()).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertUpgraded(socket.getInputStream());
                }
            }
            assertEquals(0, loops.inputBuffers(), "input buffers of the HTTP phase for whole requests");

            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /plain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi"
                        + "GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + upgrade(server.port()))
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(HI);
                out.flush();
                assertTrue(head(socket.getInputStream()).startsWith("HTTP/1.1 204 "));
                assertTrue(head(socket.getInputStream()).startsWith("HTTP/1.1 204 "));
                assertUpgraded(socket.getInputStream());
                assertEchoed(socket.getInputStream());
            }
        }
    }

    @Test
    void aMalformedRequestInOneReadIsStillAnswered400() throws Exception {
        try (WebSocketServer server = start(); Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /echo HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = head(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
    }
}
