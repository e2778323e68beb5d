package ws.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ws.transport.tls.TlsSupport.LOCALHOST;
import static ws.transport.tls.TlsSupport.WAIT;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ws.protocol.api.Transport;
import ws.protocol.api.WebSocketServer;

/**
 * The end of a wss:// connection: after the close handshake the server ends its TLS output with
 * close_notify (RFC 8446 section 6.1) before its TCP FIN, so the client reads a clean end of data,
 * not a truncation.
 */
class CloseNotifyTest {
    /** A masked close frame, 1000, no reason (mask 0: the payload bytes are as sent). */
    private static final byte[] CLOSE = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8};

    @ParameterizedTest
    @MethodSource("ws.transport.tls.TlsSupport#transports")
    void theServerEndsWithCloseNotifyAfterTheCloseHandshake(Transport base) throws Exception {
        try (WebSocketServer server = TlsSupport.echoServer(base, LOCALHOST.serverConfig());
             SSLSocket tls = (SSLSocket) TlsSupport.jsseClient().getSocketFactory().createSocket("localhost", server.port())) {
            tls.setSoTimeout((int) WAIT.toMillis());
            tls.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().write(CLOSE);
            InputStream in = tls.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            // JSSE reports the end of data only after the peer's close_notify; a bare FIN is an SSLException
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 101"), text);
            byte[] bytes = all.toByteArray();
            assertEquals((byte) 0x88, bytes[bytes.length - 4], "the close frame echoed last");
            assertTrue(tls.isInputShutdown() || in.read() < 0, "the end of data");
        }
    }
}
