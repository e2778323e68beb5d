package ws.protocol.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

@DisplayName("A sent message is counted before a writer can take its bytes")
class MessageSentCountTest {
    private static final byte[] REQUEST = ("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    @DisplayName("messageSent runs under the connection's lock, under which the message's bytes are queued after it: no writer can have them yet")
    void countedUnderTheLock() {
        Host host = new Host();
        ConnectionDriver driver = ConnectionDriver.server(host);
        host.driver = driver;
        driver.start(new NullSink(), null);
        driver.receive(ByteBuffer.wrap(REQUEST));
        assertTrue(driver.isOpen());
        driver.sendText("one").join();
        driver.sendBinary(ByteBuffer.wrap(new byte[] {1, 2})).join();
        assertEquals(List.of(true, true), host.underLock);
    }

    private static final class Host implements ConnectionHost, ConnectionObserver {
        final List<Boolean> underLock = new ArrayList<>();
        ConnectionDriver driver;

        @Override
        public void messageSent() {
            underLock.add(driver.lock.isHeldByCurrentThread());
        }

        @Override
        public ConnectionObserver observer() {
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
        }

        @Override
        public boolean isOpen() {
            return true;
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
