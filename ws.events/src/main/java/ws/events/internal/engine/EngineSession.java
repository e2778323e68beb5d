package ws.events.internal.engine;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.internal.wire.EngineCodec;
import ws.events.internal.wire.EnginePacket;
import ws.events.internal.wire.EnginePacketType;
import ws.protocol.CloseCodes;
import ws.protocol.PreparedMessage;
import ws.protocol.api.HttpExchange;
import ws.protocol.api.WebSocket;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * One Engine.IO session: its transport (long-polling, WebSocket, or polling being upgraded), the
 * packets waiting for the next poll, and the heartbeat. Thread-safe: sends come from any thread;
 * packets received are handed to the {@link EngineHandler} one at a time.
 */
public final class EngineSession {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSession.class);
    /** A volatile packet is dropped while more than this is waiting to be written to the WebSocket. */
    private static final long VOLATILE_DROP_BYTES = 64 * 1024;

    private final EngineServer server;
    private final String id;
    private final HandshakeRequest request;
    private final SocketAddress remoteAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock inbound = new ReentrantLock();

    // guarded by lock
    private WebSocket webSocket;
    private WebSocket probe;
    private boolean probed;
    private final List<EnginePacket> buffer = new ArrayList<>();
    private long bufferedBytes;
    private HttpExchange heldPoll;
    private boolean postInFlight;
    private boolean closing;
    private boolean closed;
    private EngineTimers.Timer pingTimer;
    private EngineTimers.Timer pongDeadline;
    private EngineTimers.Timer upgradeTimer;
    private EngineTimers.Timer closingTimer;

    private volatile Object attachment;

    EngineSession(EngineServer server, String id, HandshakeRequest request, SocketAddress remoteAddress, WebSocket webSocket) {
        this.server = server;
        this.id = id;
        this.request = request;
        this.remoteAddress = remoteAddress;
        this.webSocket = webSocket;
    }

    /** The session id ({@code sid}). */
    public String id() {
        return id;
    }

    /** The request that opened the session. */
    public HandshakeRequest request() {
        return request;
    }

    /** The client's address. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** {@code "websocket"} or {@code "polling"}. */
    public String transport() {
        lock.lock();
        try {
            return webSocket != null ? "websocket" : "polling";
        } finally {
            lock.unlock();
        }
    }

    /** The upper layer's state for this session. */
    public Object attachment() {
        return attachment;
    }

    /** Sets the upper layer's state for this session. */
    public void attach(Object value) {
        attachment = value;
    }

    /** Whether a long-poll is held, waiting for something to send (for tests and metrics). */
    public boolean holdsPoll() {
        lock.lock();
        try {
            return heldPoll != null && heldPoll.isOpen();
        } finally {
            lock.unlock();
        }
    }

    /** Whether it is still open. */
    public boolean isOpen() {
        lock.lock();
        try {
            return !closed && !closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends packets, in order, after everything sent before. A {@code volatile} send is dropped
     * instead of queued when the transport cannot write now (no poll waiting, or the WebSocket busy).
     *
     * @return whether the packets were queued or written
     */
    public boolean send(List<EnginePacket> packets, boolean volatileSend) {
        return send(new OutboundPackets(packets), volatileSend);
    }

    /**
     * Sends packets encoded for many sessions (a broadcast), as {@link #send(List, boolean)} does:
     * over WebSocket, the shared encoded messages are written.
     */
    public boolean send(OutboundPackets outbound, boolean volatileSend) {
        List<EnginePacket> packets = outbound.packets();
        lock.lock();
        try {
            if (closed || closing) {
                return false;
            }
            if (webSocket != null) {
                long buffered = webSocket.bufferedAmount();
                if (volatileSend && buffered > VOLATILE_DROP_BYTES) {
                    return false;
                }
                if (buffered + outbound.size() <= server.config().maxBufferedBytes()) {
                    for (PreparedMessage message : outbound.webSocketMessages()) {
                        write(webSocket, message);
                    }
                    return true;
                }
                // a client this far behind would make the sender wait: it is dropped instead
                LOG.debug("session {}: {} bytes not yet written to a slow client; closing", id, buffered);
            } else {
                if (volatileSend && (heldPoll == null || !heldPoll.isOpen())) {
                    return false;
                }
                for (EnginePacket packet : packets) {
                    buffer.add(packet);
                    bufferedBytes += packet.dataLength() + 1;
                }
                if (bufferedBytes <= server.config().maxBufferedBytes()) {
                    flushPoll();
                    return true;
                }
                LOG.debug("session {}: {} bytes queued for a client that does not poll; closing", id, bufferedBytes);
                buffer.clear();
                bufferedBytes = 0;
            }
        } finally {
            lock.unlock();
        }
        closeNow("transport error");
        return false;
    }

    /**
     * Closes the session (server side); the handler's {@code onClose} gets {@code reason}. Over
     * long-polling the close packet (after anything still queued) answers the held poll, or waits
     * for the next one, at most a ping timeout.
     */
    public void close(String reason) {
        boolean deferred;
        lock.lock();
        try {
            if (closed || closing) {
                return;
            }
            deferred = webSocket == null && (heldPoll == null || !heldPoll.isOpen());
            if (webSocket == null) {
                buffer.add(EnginePacket.close());
                if (deferred) {
                    closing = true;
                    cancelTimers();
                    closingTimer = server.timers().schedule(server.config().pingTimeout(), () -> closeNow(reason));
                } else {
                    flushPoll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (deferred) {
            notifyClosed(reason);
        } else {
            closeNow(reason);
        }
    }

    /** Ends the session at once: timers, transports, registry, then the handler. */
    void closeNow(String reason) {
        WebSocket ws;
        WebSocket probing;
        boolean notify;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            notify = !closing;
            closed = true;
            closing = false;
            server.forget(this); // before any answer below: a client's next request finds no session
            cancelTimers();
            if (closingTimer != null) {
                closingTimer.cancel();
            }
            ws = webSocket;
            probing = probe;
            probe = null;
            if (heldPoll != null) {
                heldPoll.respond(pollResponse(List.of(EnginePacket.noop())));
                heldPoll = null;
            }
            buffer.clear();
        } finally {
            lock.unlock();
        }
        if (ws != null) {
            ws.close();
        }
        if (probing != null) {
            probing.close();
        }
        if (notify) {
            notifyClosed(reason);
        }
    }

    private void notifyClosed(String reason) {
        inbound.lock();
        try {
            server.handler().onClose(this, reason);
        } catch (RuntimeException e) {
            LOG.warn("session {}: close handler failed", id, e);
        } finally {
            inbound.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Heartbeat

    void startHeartbeat() {
        lock.lock();
        try {
            schedulePing();
        } finally {
            lock.unlock();
        }
    }

    private void schedulePing() {
        if (closed || closing) {
            return;
        }
        pingTimer = server.timers().schedule(server.config().pingInterval(), () -> {
            lock.lock();
            try {
                if (closed || closing) {
                    return;
                }
                pongDeadline = server.timers().schedule(server.config().pingTimeout(), () -> closeNow("ping timeout"));
            } finally {
                lock.unlock();
            }
            send(List.of(EnginePacket.ping()), false);
        });
    }

    private void onPong() {
        lock.lock();
        try {
            if (pongDeadline != null) {
                pongDeadline.cancel();
                pongDeadline = null;
                if (pingTimer != null) {
                    pingTimer.cancel();
                }
                schedulePing();
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancelTimers() {
        for (EngineTimers.Timer timer : new EngineTimers.Timer[] {pingTimer, pongDeadline, upgradeTimer}) {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Packets received

    void receive(EnginePacket packet) {
        switch (packet.type()) {
            case PONG -> onPong();
            case MESSAGE -> {
                inbound.lock();
                try {
                    if (isOpen()) {
                        server.handler().onMessage(this, packet);
                    }
                } finally {
                    inbound.unlock();
                }
            }
            case CLOSE -> closeNow("transport close");
            case NOOP, PING -> {
                // a v4 client does not ping; nothing to answer
            }
            case OPEN, UPGRADE -> {
                LOG.debug("session {}: unexpected {} packet", id, packet.type());
                closeNow("parse error");
            }
        }
    }

    void notifyOpen() {
        inbound.lock();
        try {
            server.handler().onOpen(this);
        } finally {
            inbound.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // WebSocket

    private static void write(WebSocket ws, EnginePacket packet) {
        try {
            if (packet.isBinary()) {
                ws.sendBinary(ByteBuffer.wrap(packet.binary()));
            } else {
                ws.sendText(EngineCodec.encodeText(packet));
            }
        } catch (IllegalStateException e) {
            LOG.debug("WebSocket {} is closing; packet dropped", ws.id());
        }
    }

    private static void write(WebSocket ws, PreparedMessage message) {
        try {
            ws.send(message);
        } catch (IllegalStateException e) {
            LOG.debug("WebSocket {} is closing; packet dropped", ws.id());
        }
    }

    /** Packets from a WebSocket of this session: its transport, or a probe being upgraded. */
    void receiveFromWebSocket(WebSocket ws, EnginePacket packet) {
        lock.lock();
        boolean fromProbe;
        try {
            fromProbe = ws == probe;
            if (fromProbe) {
                if (packet.type() == EnginePacketType.PING && packet.isProbe()) {
                    probed = true;
                    write(ws, EnginePacket.of(EnginePacketType.PONG, EnginePacket.PROBE));
                    endHeldPoll();
                    return;
                }
                if (packet.type() == EnginePacketType.UPGRADE && probed) {
                    completeUpgrade(ws);
                    return;
                }
                LOG.debug("session {}: {} on an upgrade probe; closing the probe", id, packet.type());
                probe = null;
                probed = false;
            } else if (ws != webSocket) {
                return;
            }
        } finally {
            lock.unlock();
        }
        if (fromProbe) {
            ws.close(CloseCodes.PROTOCOL_ERROR, "bad upgrade");
            return;
        }
        receive(packet);
    }

    private void completeUpgrade(WebSocket ws) {
        if (upgradeTimer != null) {
            upgradeTimer.cancel();
        }
        probe = null;
        probed = false;
        webSocket = ws;
        endHeldPoll();
        for (EnginePacket packet : buffer) {
            write(ws, packet);
        }
        buffer.clear();
        bufferedBytes = 0;
        LOG.debug("session {}: upgraded to WebSocket", id);
    }

    /** Starts an upgrade: a WebSocket opened with this session's sid. */
    boolean beginUpgrade(WebSocket ws) {
        lock.lock();
        try {
            if (closed || closing || webSocket != null || probe != null) {
                return false;
            }
            probe = ws;
            upgradeTimer = server.timers().schedule(server.config().upgradeTimeout(), () -> abandonUpgrade(ws));
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void abandonUpgrade(WebSocket ws) {
        lock.lock();
        try {
            if (probe != ws) {
                return;
            }
            probe = null;
            probed = false;
        } finally {
            lock.unlock();
        }
        ws.close(CloseCodes.POLICY_VIOLATION, "upgrade timed out");
    }

    /** A WebSocket of this session closed. */
    void webSocketClosed(WebSocket ws, boolean clean) {
        lock.lock();
        try {
            if (ws == probe) {
                probe = null;
                probed = false;
                return;
            }
            if (ws != webSocket) {
                return;
            }
        } finally {
            lock.unlock();
        }
        closeNow(clean ? "transport close" : "transport error");
    }

    // ---------------------------------------------------------------------------------------------
    // Long-polling

    /** A GET: answer at once with what is waiting, or hold it until something is sent. */
    void poll(HttpExchange exchange, HttpHeaders corsHeaders) {
        boolean overlap = false;
        boolean finish = false;
        lock.lock();
        try {
            if (closed) {
                exchange.respond(EngineError.UNKNOWN_SID.response(corsHeaders));
                return;
            }
            if (webSocket != null) {
                exchange.respond(EngineError.BAD_REQUEST.response(corsHeaders));
                return;
            }
            if (heldPoll != null && heldPoll.isOpen()) {
                overlap = true;
                exchange.respond(EngineError.BAD_REQUEST.response(corsHeaders));
            } else if (probed) {
                exchange.respond(pollResponse(List.of(EnginePacket.noop())));
            } else {
                heldPoll = exchange;
                exchange.onAbandon(() -> forgetPoll(exchange));
                flushPoll();
                finish = closing && heldPoll == null;
            }
        } finally {
            lock.unlock();
        }
        if (overlap) {
            LOG.debug("session {}: overlapping GET requests; closing", id);
            closeNow("transport error");
        } else if (finish) {
            closeNow("transport close");
        }
    }

    /** A POST: the client's packets. */
    void post(HttpExchange exchange, byte[] body, HttpHeaders corsHeaders) {
        boolean overlap;
        lock.lock();
        try {
            if (webSocket != null || closed || closing) {
                exchange.respond(EngineError.BAD_REQUEST.response(corsHeaders));
                return;
            }
            overlap = postInFlight;
            postInFlight = true;
        } finally {
            lock.unlock();
        }
        if (overlap) {
            LOG.debug("session {}: overlapping POST requests; closing", id);
            closeNow("transport error");
            exchange.respond(EngineError.BAD_REQUEST.response(corsHeaders));
            return;
        }
        try {
            if (body.length > server.config().maxPayload()) {
                closeNow("transport error"); // first: a poll racing the answer must not find the session
                exchange.respond(HandshakeResponse.text(413, "payload of " + body.length + " bytes > maxPayload "
                        + server.config().maxPayload()));
                return;
            }
            List<EnginePacket> packets;
            try {
                packets = EngineCodec.decodePayload(new String(body, StandardCharsets.UTF_8), body.length + 1);
            } catch (RuntimeException e) {
                LOG.debug("session {}: malformed payload: {}", id, e.getMessage());
                closeNow("parse error");
                exchange.respond(EngineError.BAD_REQUEST.response(corsHeaders));
                return;
            }
            for (EnginePacket packet : packets) {
                receive(packet);
            }
            exchange.respond(new HandshakeResponse(200, "OK",
                    corsHeaders.toBuilder().set("Content-Type", "text/html").build(), "ok".getBytes(StandardCharsets.US_ASCII)));
        } finally {
            lock.lock();
            try {
                postInFlight = false;
            } finally {
                lock.unlock();
            }
        }
    }

    private void forgetPoll(HttpExchange exchange) {
        lock.lock();
        try {
            if (heldPoll == exchange) {
                heldPoll = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void endHeldPoll() {
        if (heldPoll != null) {
            heldPoll.respond(pollResponse(List.of(EnginePacket.noop())));
            heldPoll = null;
        }
    }

    private void flushPoll() {
        if (heldPoll == null || buffer.isEmpty()) {
            return;
        }
        if (!heldPoll.respond(pollResponse(buffer))) {
            heldPoll = null;
            return; // the client left: the packets wait for its next poll
        }
        heldPoll = null;
        buffer.clear();
        bufferedBytes = 0;
    }

    private HandshakeResponse pollResponse(List<EnginePacket> packets) {
        HttpHeaders headers = server.corsHeaders(request).toBuilder()
                .set("Content-Type", "text/plain; charset=UTF-8")
                .set("Cache-Control", "no-store")
                .build();
        return new HandshakeResponse(200, "OK", headers, EngineCodec.encodePayload(packets).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", " + transport() + "]";
    }
}
