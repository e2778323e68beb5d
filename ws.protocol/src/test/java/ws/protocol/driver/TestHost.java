package ws.protocol.driver;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/**
 * A server for driver tests: default options, a clock at 0 whose timers never fire, writes made
 * inline, every upgrade accepted with a listener that does nothing. Tests override what they observe.
 */
class TestHost implements ConnectionHost {
    /** A valid opening request (RFC 6455 section 1.3's key). */
    static final byte[] REQUEST = ("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** A server connection of {@code host}, opened by {@link #REQUEST} over a {@link NullSink}. */
    static ConnectionDriver open(ConnectionHost host) {
        ConnectionDriver driver = ConnectionDriver.server(host);
        driver.start(new NullSink(), null);
        driver.receive(ByteBuffer.wrap(REQUEST));
        if (!driver.isOpen()) {
            throw new AssertionError("the connection did not open");
        }
        return driver;
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

    /** A sink that takes every byte at once and drops it. */
    static class NullSink implements Sink {
        private volatile boolean open = true;

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length) throws java.io.IOException {
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
