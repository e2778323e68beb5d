package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

@DisplayName("Why a connection ended: the first cause recorded wins, whichever threads race")
class AbortCauseTest {
    private static final byte[] REQUEST = ("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

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
        host.driver = driver;
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
        driver.start(new NullSink(), null);
        driver.abort();
        driver.readFailed(new IOException("socket closed"));
        driver.finish();
        CloseStatus status = driver.closeFuture().join();
        assertEquals(CloseCodes.ABNORMAL_CLOSURE, status.code());
        assertEquals("aborted", status.reason());
    }

    private static ConnectionDriver open(Host host) {
        ConnectionDriver driver = ConnectionDriver.server(host);
        host.driver = driver;
        driver.start(new NullSink(), null);
        driver.receive(ByteBuffer.wrap(REQUEST));
        assertTrue(driver.isOpen());
        return driver;
    }

    private static final class Host implements ConnectionHost, DriverLogger {
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

        @Override
        public Scheduler scheduler() {
            return new Scheduler() {
                @Override
                public long nanoTime() {
                    return 0;
                }

                @Override
                public Future<?> schedule(long delayNanos, String owner, String what, Runnable action) {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }

        @Override
        public ConnectionOptions connectionOptions() {
            return ConnectionOptions.defaults();
        }

        @Override
        public Executor writers() {
            return Runnable::run;
        }

        @Override
        public void opened(ConnectionDriver connection) {
        }

        @Override
        public void ended(ConnectionDriver connection) {
        }

        @Override
        public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
            return new UpgradeDecision.Accept(new WebSocketListener() { }, "", HttpHeaders.empty(), Map.of());
        }
    }

    private static final class NullSink implements Sink {
        private boolean open = true;

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length) {
            tryWrite(buffers, offset, length);
        }

        @Override
        public long tryWrite(ByteBuffer[] buffers, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += buffers[i].remaining();
                buffers[i].position(buffers[i].limit());
            }
            return n;
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public SocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("peer", 1);
        }

        @Override
        public SocketAddress localAddress() {
            return InetSocketAddress.createUnresolved("local", 2);
        }

        @Override
        public String describe() {
            return "null";
        }
    }
}
