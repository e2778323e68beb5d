package ws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.internal.engine.EngineSession;
import ws.events.internal.engine.OutboundPackets;
import ws.events.internal.wire.EncodedPacket;
import ws.events.internal.wire.EnginePacket;
import ws.events.internal.wire.SocketPacket;
import ws.events.internal.wire.SocketPacketDecoder;
import ws.events.internal.wire.SocketPacketEncoder;
import ws.events.internal.wire.WireFormatException;
import ws.events.internal.wire.WireJson;
import ws.events.spi.RestoredSession;

/**
 * One Engine.IO session seen from Socket.IO: it decodes packets, connects the client to namespaces
 * (one {@link EventSocket} per namespace), and routes packets to them. Its methods run on the
 * session's inbound thread, one at a time.
 */
final class Client {
    private static final Logger LOG = LoggerFactory.getLogger(Client.class);

    private final EventServer server;
    private final EngineSession session;
    private final SocketPacketDecoder decoder;
    private final Map<String, EventSocket> sockets = new ConcurrentHashMap<>();
    private final Scheduler.Cancellable connectTimer;

    Client(EventServer server, EngineSession session) {
        this.server = server;
        this.session = session;
        this.decoder = new SocketPacketDecoder(server.limits());
        this.connectTimer = server.scheduler().schedule(server.connectTimeout(), () -> {
            if (sockets.isEmpty()) {
                LOG.debug("session {}: no namespace joined within {}; closing", session.id(), server.connectTimeout());
                session.close(DisconnectReason.FORCED_CLOSE.wireName());
            }
        });
    }

    EngineSession session() {
        return session;
    }

    void onMessage(EnginePacket message) {
        SocketPacket packet;
        try {
            packet = message.isBinary() ? decoder.decodeBinary(message.binary()) : decoder.decodeText(message.text());
        } catch (WireFormatException e) {
            LOG.debug("session {}: malformed packet: {}", session.id(), e.getMessage());
            session.close(DisconnectReason.PARSE_ERROR.wireName());
            return;
        }
        if (packet == null) {
            return; // waiting for attachments
        }
        if (packet.type() == ws.events.internal.wire.PacketType.CONNECT) {
            connect(packet.namespace(), packet.data());
            return;
        }
        EventSocket socket = sockets.get(packet.namespace());
        if (socket == null) {
            LOG.debug("session {}: {} for namespace {} it has not joined; ignored", session.id(), packet.type(), packet.namespace());
            return;
        }
        socket.onPacket(packet);
    }

    private void connect(String name, JsonNode auth) {
        if (sockets.size() >= server.maxNamespacesPerConnection() && !sockets.containsKey(name)) {
            refuse(name, "Too many namespaces", null);
            return;
        }
        Optional<Namespace> found = server.namespaceFor(name);
        if (found.isEmpty()) {
            send(SocketPacketEncoder.encode(SocketPacket.connectError(name,
                    WireJson.NODES.objectNode().put("message", "Invalid namespace"))), false);
            return;
        }
        if (sockets.containsKey(name)) {
            LOG.debug("session {}: already connected to {}; CONNECT ignored", session.id(), name);
            return;
        }

        Namespace namespace = found.get();
        Optional<RestoredSession> restored = restore(namespace, auth);
        EventSocket socket = new EventSocket(namespace, this, handshake(auth), restored);
        if (restored.isEmpty() || !server.recovery().skipMiddlewares()) {
            for (ConnectionMiddleware middleware : namespace.middlewares()) {
                try {
                    middleware.check(socket);
                } catch (RefusedException e) {
                    refuse(name, e.getMessage(), e.data());
                    return;
                } catch (Exception e) {
                    LOG.debug("session {}: a middleware of {} failed", session.id(), name, e);
                    refuse(name, e.getMessage() == null ? e.toString() : e.getMessage(), null);
                    return;
                }
            }
        }
        if (!session.isOpen()) {
            return;
        }
        sockets.put(name, socket);
        connectTimer.cancel();
        socket.connect(restored);
    }

    private Optional<RestoredSession> restore(Namespace namespace, JsonNode auth) {
        if (server.recovery() == null || auth == null || !auth.path("pid").isTextual() || !auth.path("offset").isTextual()) {
            return Optional.empty();
        }
        try {
            return namespace.adapter().restoreSession(auth.get("pid").asText(), auth.get("offset").asText())
                    .get(server.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warn("session {}: the adapter could not restore a session", session.id(), e);
            return Optional.empty();
        }
    }

    private void refuse(String namespace, String message, Object data) {
        ObjectNode error = WireJson.NODES.objectNode().put("message", message);
        if (data != null) {
            error.set("data", server.mapper().valueToTree(data));
        }
        send(SocketPacketEncoder.encode(SocketPacket.connectError(namespace, error)), false);
    }

    private Handshake handshake(JsonNode auth) {
        SocketAddress address = session.remoteAddress();
        String host = address instanceof InetSocketAddress inet
                ? (inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString())
                : String.valueOf(address);
        return new Handshake(session.request().headers(), session.request().queryParameters(), session.request().target(),
                host, auth, Instant.now());
    }

    void send(EncodedPacket packet, boolean dropIfBusy) {
        session.send(packet.enginePackets(), dropIfBusy);
    }

    /** Sends packets encoded once for many clients (a broadcast). */
    void send(OutboundPackets packets, boolean dropIfBusy) {
        session.send(packets, dropIfBusy);
    }

    void remove(EventSocket socket) {
        sockets.remove(socket.namespace().name(), socket);
    }

    /** The server closes the whole connection: each socket gets a DISCONNECT first. */
    void disconnectAll() {
        for (EventSocket socket : List.copyOf(sockets.values())) {
            socket.disconnect(false);
        }
        session.close(DisconnectReason.FORCED_SERVER_CLOSE.wireName());
    }

    /** The Engine.IO session ended. */
    void onClose(String reason) {
        connectTimer.cancel();
        decoder.reset();
        DisconnectReason why = DisconnectReason.ofWireName(reason);
        for (EventSocket socket : List.copyOf(sockets.values())) {
            socket.onClose(why);
        }
    }
}
