package ws.transport.stream;

import java.net.SocketAddress;
import ws.protocol.CloseStatus;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeRequest;

/** The JFR events of {@link JfrObserver}; loaded only when {@code jdk.jfr} is in the runtime. */
final class JfrRecorder implements ConnectionObserver {
    @Override
    public void opened(ConnectionDriver connection) {
        JfrEvents.Opened event = new JfrEvents.Opened();
        if (event.shouldCommit()) {
            event.connectionId = connection.id();
            event.side = side(connection);
            event.remoteAddress = address(connection.remoteAddress());
            HandshakeRequest request = connection.request();
            event.path = request == null ? null : request.path();
            event.subprotocol = connection.subprotocol();
            event.extensions = extensions(connection);
            event.commit();
        }
    }

    @Override
    public void closed(ConnectionDriver connection, Summary summary) {
        JfrEvents.Closed event = new JfrEvents.Closed();
        if (event.shouldCommit()) {
            event.connectionId = connection.id();
            event.side = side(connection);
            event.remoteAddress = address(connection.remoteAddress());
            event.code = summary.status().code();
            event.reason = summary.status().reason();
            event.initiator = summary.initiator().name();
            event.openFor = summary.durationNanos();
            event.messagesIn = summary.messagesIn();
            event.messagesOut = summary.messagesOut();
            event.bytesIn = summary.bytesIn();
            event.bytesOut = summary.bytesOut();
            event.commit();
        }
    }

    @Override
    public void handshakeRejected(SocketAddress remote, String target, int status, String reason) {
        JfrEvents.HandshakeRejected event = new JfrEvents.HandshakeRejected();
        if (event.shouldCommit()) {
            event.remoteAddress = address(remote);
            event.target = target;
            event.status = status;
            event.reason = reason;
            event.commit();
        }
    }

    @Override
    public void protocolViolation(ConnectionDriver connection, CloseStatus status) {
        JfrEvents.ProtocolViolation event = new JfrEvents.ProtocolViolation();
        if (event.shouldCommit()) {
            event.connectionId = connection.id();
            event.side = side(connection);
            event.remoteAddress = address(connection.remoteAddress());
            event.code = status.code();
            event.rule = status.reason();
            event.commit();
        }
    }

    @Override
    public void backpressure(ConnectionDriver connection, BackpressurePolicy policy, long queued, long size,
                             long highWaterMark) {
        JfrEvents.Backpressure event = new JfrEvents.Backpressure();
        if (event.shouldCommit()) {
            event.connectionId = connection.id();
            event.remoteAddress = address(connection.remoteAddress());
            event.policy = policy.name();
            event.queuedBytes = queued;
            event.messageBytes = size;
            event.highWaterMark = highWaterMark;
            event.commit();
        }
    }

    private static String side(ConnectionDriver connection) {
        return connection.side().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String address(SocketAddress address) {
        return address == null ? null : address.toString();
    }

    private static String extensions(ConnectionDriver connection) {
        StringBuilder text = new StringBuilder();
        for (ExtensionParameters extension : connection.extensions()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(extension.format());
        }
        return text.toString();
    }
}
