package ws.transport.stream;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import ws.protocol.api.ConnectionOptions;
import ws.protocol.api.WebSocketListener;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionHost;
import ws.protocol.driver.Scheduler;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.server.UpgradeDecision;

/** What the stream connection tests share: a scripted wire's fixed parts and a server host with no timers. */
final class StreamTestSupport {
    /** A client's opening handshake, as the first bytes of a scripted server connection. */
    static final String REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private StreamTestSupport() {
    }

    /** A wire whose reads a test scripts; it takes every write whole, and never closes. */
    abstract static class ScriptedWire implements Wire {
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
            return getClass().getSimpleName();
        }
    }

    /** A server host that accepts every upgrade with {@code listener}, with no keepalive and no timers. */
    static ConnectionHost host(WebSocketListener listener, Executor writers) {
        ConnectionOptions options = ConnectionOptions.defaults().withKeepAlive(Duration.ZERO, Duration.ofSeconds(10))
                .withCloseTimeout(Duration.ofMillis(1));
        return new ConnectionHost() {
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
                return options;
            }

            @Override
            public Executor writers() {
                return writers;
            }

            @Override
            public void opened(ConnectionDriver connection) {
            }

            @Override
            public void ended(ConnectionDriver connection) {
            }

            @Override
            public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
                return new UpgradeDecision.Accept(listener, "", HttpHeaders.empty(), Map.of());
            }
        };
    }
}
