package ws.protocol.driver;

import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import ws.protocol.CloseStatus;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.api.ServerMetrics;
import ws.protocol.api.WebSocketServerMXBean;

/**
 * A server's counters: the {@link ConnectionObserver} behind {@link ws.protocol.api.WebSocketServer#metrics()}
 * and its MXBean, one per server, shared by all its connections. Every count is a {@link LongAdder}
 * (no lock, no contended word per message); the by-status maps are touched only by the rare events
 * they count.
 */
public final class ServerCounters implements ConnectionObserver, WebSocketServerMXBean {
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final ConcurrentHashMap<Integer, LongAdder> rejections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, LongAdder> violations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BackpressurePolicy, LongAdder> backpressure = new ConcurrentHashMap<>();

    /** The counts now. */
    public ServerMetrics snapshot() {
        // closed before opened: a connection counted closed is always counted opened, so open >= 0
        long closedNow = closed.sum();
        long openedNow = opened.sum();
        Map<BackpressurePolicy, Long> policies = new EnumMap<>(BackpressurePolicy.class);
        backpressure.forEach((policy, count) -> policies.put(policy, count.sum()));
        return new ServerMetrics(Math.max(0, openedNow - closedNow), openedNow, closedNow, messagesIn.sum(),
                messagesOut.sum(), bytesIn.sum(), bytesOut.sum(), sums(rejections), sums(violations), policies);
    }

    private static Map<Integer, Long> sums(ConcurrentHashMap<Integer, LongAdder> counts) {
        Map<Integer, Long> result = new HashMap<>();
        counts.forEach((key, count) -> result.put(key, count.sum()));
        return result;
    }

    // ------------------------------------------------------------------------------------------
    // ConnectionObserver

    @Override
    public void opened(ConnectionDriver connection) {
        opened.increment();
    }

    @Override
    public void closed(ConnectionDriver connection, Summary summary) {
        closed.increment();
    }

    @Override
    public void handshakeRejected(SocketAddress remote, String target, int status, String reason) {
        rejections.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    @Override
    public void protocolViolation(ConnectionDriver connection, CloseStatus status) {
        violations.computeIfAbsent(status.code(), c -> new LongAdder()).increment();
    }

    @Override
    public void backpressure(ConnectionDriver connection, BackpressurePolicy policy, long queued, long size,
                             long highWaterMark) {
        backpressure.computeIfAbsent(policy, p -> new LongAdder()).increment();
    }

    @Override
    public void messageReceived() {
        messagesIn.increment();
    }

    @Override
    public void messageSent() {
        messagesOut.increment();
    }

    @Override
    public void bytesRead(long count) {
        bytesIn.add(count);
    }

    @Override
    public void bytesWritten(long count) {
        bytesOut.add(count);
    }

    // ------------------------------------------------------------------------------------------
    // WebSocketServerMXBean: live reads of the same counters

    @Override
    public long getOpenConnections() {
        long closedNow = closed.sum();
        return Math.max(0, opened.sum() - closedNow);
    }

    @Override
    public long getConnectionsOpened() {
        return opened.sum();
    }

    @Override
    public long getConnectionsClosed() {
        return closed.sum();
    }

    @Override
    public long getMessagesReceived() {
        return messagesIn.sum();
    }

    @Override
    public long getMessagesSent() {
        return messagesOut.sum();
    }

    @Override
    public long getBytesReceived() {
        return bytesIn.sum();
    }

    @Override
    public long getBytesSent() {
        return bytesOut.sum();
    }

    @Override
    public Map<Integer, Long> getHandshakeRejections() {
        return sums(rejections);
    }

    @Override
    public Map<Integer, Long> getProtocolViolations() {
        return sums(violations);
    }

    @Override
    public Map<String, Long> getBackpressureEvents() {
        Map<String, Long> result = new HashMap<>();
        backpressure.forEach((policy, count) -> result.put(policy.name(), count.sum()));
        return result;
    }
}
