package ws.protocol.server;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ws.protocol.api.HandshakeDecision;
import ws.protocol.api.HandshakeInterceptor;
import ws.protocol.api.HttpHandler;
import ws.protocol.api.HttpRoute;
import ws.protocol.api.Route;
import ws.protocol.api.ServerOptions;
import ws.protocol.handshake.HandshakeRequest;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/**
 * What a server makes of each request, computed once for every transport from its
 * {@link ServerOptions}: which route takes an upgrade and with which subprotocol, what the server's
 * and the route's interceptors decide, which {@link HttpHandler} answers a plain request, and the
 * HTTP answers when nothing does (404, 426, 400, 500). A transport reads bytes, asks this, and writes
 * what it says. Immutable and thread-safe; pure apart from running the application's interceptors.
 */
public final class ServerCore {
    private final ServerOptions options;

    /** The core of a server with these options. */
    public ServerCore(ServerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The options it decides by. */
    public ServerOptions options() {
        return options;
    }

    /**
     * Decides a valid upgrade request. Routes by path, then by subprotocol: a route speaking one of the
     * offered subprotocols wins; else a route on the path that speaks none accepts without a
     * subprotocol (RFC 6455 section 4.2.2 lets the server agree to none); else 400, since every
     * handler on the path needs a subprotocol the client does not speak; no route on the path: 404.
     * Then the server's interceptor decides, then the route's; the first rejection wins, and an
     * interceptor that throws or returns nothing rejects with 500. When both accept, the route's
     * subprotocol and attributes win over the server's and their headers add up.
     */
    public UpgradeDecision decide(HandshakeRequest request, SocketAddress remoteAddress) {
        String path = request.path();
        if (!hasRouteFor(path)) {
            return new UpgradeDecision.Reject(HandshakeResponse.text(404, "no WebSocket route for " + path), null);
        }
        List<String> offered = request.subprotocols();
        Optional<Route> found = route(path, offered);
        if (found.isEmpty()) {
            List<String> spoken = new ArrayList<>();
            for (Route route : options.routes()) {
                if (route.matches(path)) {
                    spoken.addAll(route.subprotocols());
                }
            }
            return new UpgradeDecision.Reject(HandshakeResponse.text(400, "no subprotocol in common on " + path
                    + ": offered " + offered + ", spoken " + spoken), null);
        }
        Route route = found.get();
        String subprotocol = "";
        for (String preferred : route.subprotocols()) {
            if (offered.contains(preferred)) {
                subprotocol = preferred;
                break;
            }
        }
        HttpHeaders headers = HttpHeaders.empty();
        Map<String, Object> attributes = Map.of(); // a map of its own once an interceptor adds to it
        for (int i = 0; i < 2; i++) {
            HandshakeInterceptor interceptor = i == 0 ? options.interceptor() : route.interceptor();
            HandshakeDecision decision;
            try {
                decision = interceptor.intercept(request, remoteAddress);
            } catch (RuntimeException e) {
                return new UpgradeDecision.Reject(HandshakeResponse.text(500, "the handshake interceptor failed"), e);
            }
            switch (decision) {
                case null -> {
                    return new UpgradeDecision.Reject(HandshakeResponse.text(500,
                            "the handshake interceptor returned no decision"),
                            new IllegalStateException("a handshake interceptor returned null for " + request.target()));
                }
                case HandshakeDecision.Reject reject -> {
                    return new UpgradeDecision.Reject(reject.response(), null);
                }
                case HandshakeDecision.Accept accept -> {
                    if (accept.subprotocol() != null) {
                        subprotocol = accept.subprotocol();
                    }
                    if (!accept.attributes().isEmpty()) {
                        if (attributes.isEmpty()) {
                            attributes = new LinkedHashMap<>();
                        }
                        attributes.putAll(accept.attributes());
                    }
                    if (accept.headers().size() > 0) {
                        HttpHeaders.Builder more = headers.toBuilder();
                        accept.headers().forEach(more::add);
                        headers = more.build();
                    }
                }
            }
        }
        return new UpgradeDecision.Accept(route.listener(), subprotocol, headers, attributes);
    }

    /**
     * The handler for a plain HTTP request: the first {@link ServerOptions#http()} route matching its
     * path; else one that answers 426 (with the upgrade headers) on a WebSocket route's path and 404
     * elsewhere.
     */
    public HttpHandler httpHandler(HandshakeRequest request) {
        String path = request.path();
        for (HttpRoute route : options.http()) {
            if (route.matches(path)) {
                return route.handler();
            }
        }
        HandshakeResponse answer = hasRouteFor(path) ? upgradeRequired(path)
                : HandshakeResponse.text(404, "nothing at " + path);
        return exchange -> exchange.respond(answer);
    }

    /** The first route whose path matches and that speaks one of the offered subprotocols (or needs none). */
    public Optional<Route> route(String path, List<String> offeredSubprotocols) {
        Route pathOnly = null;
        for (Route route : options.routes()) {
            if (!route.matches(path)) {
                continue;
            }
            if (route.subprotocols().isEmpty()) {
                if (pathOnly == null) {
                    pathOnly = route;
                }
                continue;
            }
            for (String offered : offeredSubprotocols) {
                if (route.subprotocols().contains(offered)) {
                    return Optional.of(route);
                }
            }
        }
        return Optional.ofNullable(pathOnly);
    }

    /** Whether any WebSocket route's pattern matches {@code path}, whatever the subprotocols. */
    public boolean hasRouteFor(String path) {
        for (Route route : options.routes()) {
            if (route.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** 426 with the headers that say how to upgrade (RFC 6455 section 4.4, RFC 9110 section 15.5.22). */
    private static HandshakeResponse upgradeRequired(String path) {
        return HandshakeResponse.text(426, HandshakeResponse.reasonPhrase(426),
                HttpHeaders.of("Sec-WebSocket-Version", "13", "Upgrade", "websocket", "Connection", "Upgrade"),
                path + " speaks WebSocket: send an upgrade request (Upgrade: websocket)");
    }
}
