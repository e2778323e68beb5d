package ws.events.internal.engine;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ws.events.internal.wire.EngineCodec;
import ws.events.internal.wire.EnginePacket;
import ws.events.internal.wire.WireFormatException;
import ws.protocol.CloseCodes;
import ws.protocol.CloseStatus;
import ws.protocol.api.HandshakeDecision;
import ws.protocol.api.HandshakeInterceptor;
import ws.protocol.api.HttpExchange;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.WebSocket;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * An Engine.IO v4 server: it validates requests (answering bad ones with the protocol's error codes),
 * opens sessions over long-polling or WebSocket, upgrades them, and runs their heartbeats. It carries
 * messages and knows nothing of events: the {@link EngineHandler} does.
 */
public final class EngineServer {
    private static final Logger LOG = LoggerFactory.getLogger(EngineServer.class);
    private static final String SESSION_ATTRIBUTE = "ws.events.engine.session";
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String POLLING = "polling";
    static final String WEBSOCKET = "websocket";

    private final EngineConfig config;
    private final EngineHandler handler;
    private final ConcurrentHashMap<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> sessionsByAddress = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** A server with these settings, handing sessions to {@code handler}. */
    public EngineServer(EngineConfig config, EngineHandler handler) {
        this.config = Objects.requireNonNull(config, "config");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    EngineConfig config() {
        return config;
    }

    EngineHandler handler() {
        return handler;
    }

    EngineTimers timers() {
        return config.timers();
    }

    /** A new random id: 120 bits as 20 URL-safe Base64 characters. */
    public static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** A session by id. */
    public Optional<EngineSession> session(String sid) {
        return Optional.ofNullable(sessions.get(sid));
    }

    void forget(EngineSession session) {
        if (sessions.remove(session.id(), session)) {
            sessionsByAddress.computeIfPresent(addressOf(session.remoteAddress()), (address, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Registers a new session, unless its address has too many already. */
    private boolean register(EngineSession session) {
        boolean[] admitted = {false};
        sessionsByAddress.compute(addressOf(session.remoteAddress()), (address, count) -> {
            int now = count == null ? 0 : count;
            if (now >= config.maxSessionsPerAddress()) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (admitted[0]) {
            sessions.put(session.id(), session);
        } else {
            LOG.debug("{} has {} sessions already; refused", session.remoteAddress(), config.maxSessionsPerAddress());
        }
        return admitted[0];
    }

    private static String addressOf(java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** Closes every session ("server shutting down") and refuses new ones. */
    public void close() {
        stopped = true;
        for (EngineSession session : List.copyOf(sessions.values())) {
            session.close("server shutting down");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Validation (engine.io-protocol: errors)

    /** What is wrong with a request, if anything; {@code upgrade} for a WebSocket handshake. */
    Optional<EngineError> check(HandshakeRequest request, boolean upgrade) {
        String transport = request.queryParameter("transport").orElse("");
        boolean known = POLLING.equals(transport) && config.polling() || WEBSOCKET.equals(transport) && config.websocket();
        if (!known) {
            return Optional.of(EngineError.UNKNOWN_TRANSPORT);
        }
        if (stopped) {
            return Optional.of(EngineError.FORBIDDEN);
        }
        if (upgrade && !WEBSOCKET.equals(transport)) {
            return Optional.of(EngineError.BAD_REQUEST);
        }
        Optional<String> sid = request.queryParameter("sid");
        if (sid.isPresent()) {
            EngineSession session = sessions.get(sid.get());
            if (session == null) {
                return Optional.of(EngineError.UNKNOWN_SID);
            }
            if (!transport.equals(session.transport()) && !upgrade || upgrade && WEBSOCKET.equals(session.transport())) {
                // polling after the upgrade, or a second WebSocket for a session that has one
                return Optional.of(EngineError.BAD_REQUEST);
            }
            return Optional.empty();
        }
        if (!"4".equals(request.queryParameter("EIO").orElse(""))) {
            return Optional.of(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        }
        if (!upgrade && !"GET".equals(request.method())) {
            return Optional.of(EngineError.BAD_HANDSHAKE_METHOD);
        }
        if (!upgrade && WEBSOCKET.equals(transport)) {
            return Optional.of(EngineError.BAD_REQUEST);
        }
        return Optional.empty();
    }

    /** CORS headers for a polling response to this request (none when not allowed or not configured). */
    HttpHeaders corsHeaders(HandshakeRequest request) {
        Optional<String> origin = config.cors().allowOrigin(request.origin().orElse(null));
        if (origin.isEmpty()) {
            return HttpHeaders.empty();
        }
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Access-Control-Allow-Origin", origin.get());
        if (!"*".equals(origin.get())) {
            headers.add("Vary", "Origin");
        }
        if (config.cors().credentials()) {
            headers.add("Access-Control-Allow-Credentials", "true");
        }
        return headers.build();
    }

    private String handshakeJson(String sid, boolean upgradable) {
        return "{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgradable ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + config.pingInterval().toMillis()
                + ",\"pingTimeout\":" + config.pingTimeout().toMillis()
                + ",\"maxPayload\":" + config.maxPayload() + "}";
    }

    // ---------------------------------------------------------------------------------------------
    // WebSocket transport

    /** Rejects bad WebSocket handshakes with 400 and the protocol's error code, before the 101. */
    public HandshakeInterceptor interceptor() {
        return (request, remoteAddress) -> check(request, true)
                .<HandshakeDecision>map(error -> new HandshakeDecision.Reject(error.response(HttpHeaders.empty())))
                .orElseGet(HandshakeDecision::accept);
    }

    /** The listener of the WebSocket route. */
    public WebSocketListener webSocketListener() {
        return new WebSocketListener() {
            @Override
            public void onOpen(WebSocket ws) {
                openWebSocket(ws);
            }

            @Override
            public void onText(WebSocket ws, String text) {
                EnginePacket packet;
                try {
                    if (text.length() > config.maxPayload()) {
                        ws.close(CloseCodes.MESSAGE_TOO_BIG, "message > maxPayload");
                        return;
                    }
                    packet = EngineCodec.decodeText(text);
                } catch (WireFormatException e) {
                    LOG.debug("WebSocket {}: {}", ws.id(), e.getMessage());
                    failSession(ws);
                    return;
                }
                deliver(ws, packet);
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuffer data) {
                if (data.remaining() > config.maxPayload()) {
                    ws.close(CloseCodes.MESSAGE_TOO_BIG, "message > maxPayload");
                    return;
                }
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                deliver(ws, EngineCodec.decodeBinary(bytes));
            }

            @Override
            public void onClose(WebSocket ws, CloseStatus status) {
                if (ws.attributes().get(SESSION_ATTRIBUTE) instanceof EngineSession session) {
                    session.webSocketClosed(ws, status.code() == CloseCodes.NORMAL_CLOSURE
                            || status.code() == CloseCodes.GOING_AWAY);
                }
            }
        };
    }

    private void deliver(WebSocket ws, EnginePacket packet) {
        if (ws.attributes().get(SESSION_ATTRIBUTE) instanceof EngineSession session) {
            session.receiveFromWebSocket(ws, packet);
        }
    }

    private void failSession(WebSocket ws) {
        if (ws.attributes().get(SESSION_ATTRIBUTE) instanceof EngineSession session) {
            session.closeNow("parse error");
        }
        ws.close();
    }

    private void openWebSocket(WebSocket ws) {
        HandshakeRequest request = ws.request();
        Optional<EngineError> error = check(request, true);
        if (error.isPresent()) {
            // the route's interceptor normally answered this with a 400 already
            ws.close(CloseCodes.POLICY_VIOLATION, error.get().message());
            return;
        }
        Optional<String> sid = request.queryParameter("sid");
        if (sid.isPresent()) {
            EngineSession session = sessions.get(sid.get());
            if (session == null || !session.beginUpgrade(ws)) {
                ws.close(CloseCodes.POLICY_VIOLATION, "no upgrade possible for session " + sid.get());
                return;
            }
            ws.attributes().put(SESSION_ATTRIBUTE, session);
            return;
        }
        EngineSession session = new EngineSession(this, newId(), request, ws.remoteAddress(), ws);
        if (!register(session)) {
            ws.close(CloseCodes.POLICY_VIOLATION, "too many sessions from this address");
            return;
        }
        ws.attributes().put(SESSION_ATTRIBUTE, session);
        ws.sendText(EngineCodec.encodeText(EnginePacket.open(handshakeJson(session.id(), false))));
        session.startHeartbeat();
        session.notifyOpen();
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP long-polling

    /** The handler of long-polling requests (GET: receive, POST: send, OPTIONS: CORS preflight). */
    public HttpHandler pollingHandler() {
        return this::handlePolling;
    }

    private void handlePolling(HttpExchange exchange) {
        HandshakeRequest request = exchange.request();
        HttpHeaders cors = corsHeaders(request);
        if ("OPTIONS".equals(request.method())) {
            exchange.respond(preflight(request, cors));
            return;
        }
        Optional<EngineError> error = check(request, false);
        if (error.isPresent()) {
            exchange.respond(error.get().response(cors));
            return;
        }
        Optional<String> sid = request.queryParameter("sid");
        if (sid.isEmpty()) {
            EngineSession session = new EngineSession(this, newId(), request, exchange.remoteAddress(), null);
            if (!register(session)) {
                exchange.respond(EngineError.FORBIDDEN.response(cors));
                return;
            }
            HttpHeaders headers = cors.toBuilder().set("Content-Type", "text/plain; charset=UTF-8").build();
            String open = EngineCodec.encodePayload(List.of(EnginePacket.open(handshakeJson(session.id(), config.websocket()))));
            // the layer above first: the client's next request may come as soon as it has the answer
            session.startHeartbeat();
            session.notifyOpen();
            exchange.respond(new HandshakeResponse(200, "OK", headers, open.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        EngineSession session = sessions.get(sid.get());
        if (session == null) {
            exchange.respond(EngineError.UNKNOWN_SID.response(cors));
        } else if ("GET".equals(request.method())) {
            session.poll(exchange, cors);
        } else if ("POST".equals(request.method())) {
            session.post(exchange, exchange.body(), cors);
        } else {
            exchange.respond(EngineError.BAD_REQUEST.response(cors));
        }
    }

    private HandshakeResponse preflight(HandshakeRequest request, HttpHeaders cors) {
        if (cors.size() == 0) {
            return new HandshakeResponse(204, "No Content", HttpHeaders.empty(), new byte[0]);
        }
        HttpHeaders.Builder headers = cors.toBuilder()
                .set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String allowed = config.cors().allowedHeaders().isEmpty()
                ? request.header("Access-Control-Request-Headers").orElse("")
                : String.join(", ", config.cors().allowedHeaders());
        if (!allowed.isEmpty()) {
            headers.set("Access-Control-Allow-Headers", allowed);
        }
        if (!config.cors().maxAge().isZero()) {
            headers.set("Access-Control-Max-Age", Long.toString(config.cors().maxAge().toSeconds()));
        }
        return new HandshakeResponse(204, "No Content", headers.build(), new byte[0]);
    }
}
