package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HttpHeaders;

@DisplayName("Why a connection ended: the first cause recorded wins, whichever threads race")
class AbortCauseTest {

    @Test
    @DisplayName("two aborts in turn: the close status is the first's")
    void twoAborts() {
        ConnectionDriver driver = open(new Host((format, d) -> { }));
        CloseStatus timeout = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", new TimeoutException("handshake"));
        driver.abortWith(timeout);
        driver.abortWith(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "aborted"));
        driver.readFailed(new IOException("socket closed"));
        driver.finish();
        assertSame(timeout, driver.closeFuture().join());
    }

    @Test
    @DisplayName("a timeout's abort landing while the reader reports a reset: the timeout, recorded first, is reported")
    void abortDuringReadFailure() {
        CloseStatus timeout = new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "", new TimeoutException("no pong"));
        // the logger runs between the reader's "not aborting" check and its recording of the reset: the
        // timer's abort lands exactly there
        Host host = new Host((format, d) -> {
            if (format.contains("read failed")) {
                d.abortWith(timeout);
            }
        });
        ConnectionDriver driver = open(host);
        driver.readFailed(new IOException("connection reset"));
        driver.finish();
        assertSame(timeout, driver.closeFuture().join());
    }

    @Test
    @DisplayName("the application's abort during a client's handshake is reported, not the end of input that follows")
    void clientAbortBeforeRejection() {
        Host host = new Host((format, d) -> { });
        ws.protocol.engine.ClientProtocol engine = ws.protocol.engine.ClientProtocol.create(
                ws.protocol.engine.ProtocolConfig.defaults(), java.net.URI.create("ws://a/chat"), java.util.List.of(),
                HttpHeaders.empty());
        ConnectionDriver driver = ConnectionDriver.client(host, engine, new WebSocketListener() { });
        driver.start(new TestHost.NullSink(), null);
        driver.abort();
        driver.readFailed(new IOException("socket closed"));
        driver.finish();
        CloseStatus status = driver.closeFuture().join();
        assertEquals(CloseCodes.ABNORMAL_CLOSURE, status.code());
        assertEquals("aborted", status.reason());
    }

    private static ConnectionDriver open(Host host) {
        ConnectionDriver driver = ConnectionDriver.server(host);
        host.driver = driver; // before the handshake: the logger may be called from its first line
        driver.start(new TestHost.NullSink(), null);
        driver.receive(ByteBuffer.wrap(TestHost.REQUEST));
        assertTrue(driver.isOpen());
        return driver;
    }

    /** Calls {@code onDebug} with each debug line's format: the test's hook into the driver's steps. */
    private static final class Host extends TestHost implements DriverLogger {
        final BiConsumer<String, ConnectionDriver> onDebug;
        ConnectionDriver driver;

        Host(BiConsumer<String, ConnectionDriver> onDebug) {
            this.onDebug = onDebug;
        }

        @Override
        public void debug(String format, Object... arguments) {
            onDebug.accept(format, driver);
        }

        @Override
        public void warn(String format, Object... arguments) {
        }

        @Override
        public DriverLogger logger() {
            return this;
        }
    }
}
