package ws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import ws.protocol.handshake.HandshakeException;

/** The one-line descriptions of failures. */
class ErrorsTest {

    @Test
    void aRefusedHandshakeNamesTheStatusTheServerAnswered() {
        assertEquals("handshake refused with HTTP 404: not found",
                Errors.describe(new CompletionException(new HandshakeException(404, "not found"))));
    }

    @Test
    void aHandshakeThatFailedWithoutAStatusNamesNone() {
        // a 101 whose Sec-WebSocket-Accept, extension or subprotocol broke RFC 6455: status 0, no "HTTP 0"
        assertEquals("handshake failed: the server agreed to extension x-foo, which was not offered",
                Errors.describe(new HandshakeException(0, "the server agreed to extension x-foo, which was not offered")));
    }
}
