package ws.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ws.protocol.CloseStatus;
import ws.protocol.handshake.HandshakeException;

/** The default reconnect rule: the table in {@link Reconnect}'s Javadoc, row by row. */
class ReconnectTest {

    private static CloseStatus closed(int code) {
        return new CloseStatus(code, "");
    }

    private static CloseStatus failed(Throwable cause) {
        return new CloseStatus(1006, "", cause);
    }

    @ParameterizedTest(name = "close {0} reconnects")
    @ValueSource(ints = {1001, 1006, 1011, 1012, 1013, 1014})
    void closeCodesThatReconnect(int code) {
        assertTrue(Reconnect.isTransient(closed(code)));
    }

    @ParameterizedTest(name = "close {0} does not reconnect")
    @ValueSource(ints = {1000, 1002, 1003, 1005, 1007, 1008, 1009, 1010, 3000, 4000, 4999})
    void closeCodesThatDoNot(int code) {
        assertFalse(Reconnect.isTransient(closed(code)));
    }

    @Test
    void failuresToConnectReconnect() {
        assertTrue(Reconnect.isTransient(failed(new ConnectException("refused"))));
        assertTrue(Reconnect.isTransient(failed(new IOException("connection reset"))));
        assertTrue(Reconnect.isTransient(failed(new UnknownHostException("nowhere.example"))));
        assertTrue(Reconnect.isTransient(failed(new TimeoutException("opening handshake not done within PT10S"))));
        assertFalse(Reconnect.isTransient(failed(new IllegalStateException("onOpen threw"))));
    }

    @ParameterizedTest(name = "handshake refused with {0} reconnects")
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void handshakeStatusesThatReconnect(int status) {
        assertTrue(Reconnect.isTransient(failed(new HandshakeException(status, "refused"))));
    }

    @ParameterizedTest(name = "handshake refused with {0} does not reconnect")
    @ValueSource(ints = {0, 200, 301, 400, 401, 403, 404, 426})
    void handshakeStatusesThatDoNot(int status) {
        assertFalse(Reconnect.isTransient(failed(new HandshakeException(status, "refused"))));
    }

    @Test
    void aConnectionEndedBeforeTheAnswerReconnectsButAnInvalidAnswerDoesNot() {
        assertTrue(Reconnect.isTransient(failed(new HandshakeException(0, "ended", new EOFException("ended")))));
        assertFalse(Reconnect.isTransient(failed(new HandshakeException(0, "Sec-WebSocket-Accept is wrong"))));
    }

    @Test
    void proxiesAndTls() {
        assertFalse(Reconnect.isTransient(failed(new ProxyException(ProxyException.Reason.AUTHENTICATION_FAILED, 407, "", null))));
        assertFalse(Reconnect.isTransient(failed(new ProxyException(ProxyException.Reason.REFUSED, 403, "", null))));
        assertTrue(Reconnect.isTransient(failed(new ProxyException(ProxyException.Reason.REFUSED, 502, "", null))));
        assertTrue(Reconnect.isTransient(failed(new ProxyException(ProxyException.Reason.UNREACHABLE, 0, "", null))));
        assertFalse(Reconnect.isTransient(new CloseStatus(1015, "", new SSLHandshakeException("PKIX path building failed"))));
        SSLHandshakeException lost = new SSLHandshakeException("Remote host terminated the handshake");
        lost.initCause(new EOFException());
        assertTrue(Reconnect.isTransient(new CloseStatus(1015, "", lost)));
    }

    @Test
    void slowDownIs1013Or503Or429() {
        assertTrue(Reconnect.isSlowDown(closed(1013)));
        assertTrue(Reconnect.isSlowDown(failed(new HandshakeException(503, "busy"))));
        assertTrue(Reconnect.isSlowDown(failed(new HandshakeException(429, "too many"))));
        assertFalse(Reconnect.isSlowDown(closed(1012)));
        assertFalse(Reconnect.isSlowDown(failed(new HandshakeException(502, "bad gateway"))));
    }

    @Test
    void theRuleCanBeWidened() {
        Reconnect policy = Reconnect.defaults().withWhen(s -> Reconnect.isTransient(s) || s.code() == 4000);
        assertTrue(policy.reconnects(closed(4000)));
        assertTrue(policy.reconnects(closed(1012)));
        assertFalse(policy.reconnects(closed(4001)));
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Reconnect.defaults().withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> Reconnect.defaults().withQueue(-1, 10, Reconnect.Overflow.FAIL_NEW));
        assertThrows(IllegalArgumentException.class, () -> Reconnect.defaults().withStablePeriod(java.time.Duration.ofSeconds(-1)));
        assertEquals(Reconnect.UNLIMITED, Reconnect.defaults().maxAttempts());
    }
}
