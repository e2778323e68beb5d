package ws.transport.stream;

import java.net.SocketAddress;
import ws.protocol.CloseStatus;
import ws.protocol.api.BackpressurePolicy;
import ws.protocol.driver.ConnectionDriver;
import ws.protocol.driver.ConnectionObserver;
import ws.protocol.extension.ExtensionParameters;
import ws.protocol.handshake.HandshakeRequest;

/**
 * Records a connection's life as JFR events: {@code ws.ConnectionOpened}, {@code ws.ConnectionClosed},
 * {@code ws.HandshakeRejected}, {@code ws.ProtocolViolation} and {@code ws.BackpressureFired}
 * (category "WebSocket", no stack traces). Every transport on this runtime uses it; a transport with
 * its own I/O model hands {@link #create()} to its drivers' {@link ws.protocol.driver.ConnectionHost}.
 *
 * <p>Nearly free when no recording asks for an event: each checks {@code shouldCommit()} before it
 * formats a field, and the per-message calls do nothing. {@code jdk.jfr} is optional for this module:
 * on the class path it is always there; an application on the module path has it when {@code jdk.jfr}
 * is resolved (as any JFR recording needs: {@code --add-modules jdk.jfr}, or a module that requires
 * it); without it {@link #create()} observes nothing.
 */
public final class JfrObserver implements ConnectionObserver {
    private static final boolean AVAILABLE = readable("jdk.jfr");

    private JfrObserver() {
    }

    /** The JFR observer, or {@link ConnectionObserver#NONE} when {@code jdk.jfr} is not in the runtime. */
    public static ConnectionObserver create() {
        return AVAILABLE ? new JfrObserver() : ConnectionObserver.NONE;
    }

    /** Whether this module can use {@code module} now (present in its layer and read by it). */
    static boolean readable(String module) {
        Module self = JfrObserver.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        return layer.findModule(module).map(self::canRead).orElse(false);
    }

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
