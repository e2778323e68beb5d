package ws.protocol.api;

import java.net.SocketAddress;
import ws.protocol.handshake.HandshakeRequest;

/**
 * Decides whether a valid WebSocket upgrade request is accepted: authentication by token or
 * cookie, an Origin allowlist, per-address limits. Runs on the connection's own thread, after the
 * request was validated and routed, before the 101 is sent. An exception rejects with 500.
 */
@FunctionalInterface
public interface HandshakeInterceptor {

    HandshakeDecision intercept(HandshakeRequest request, SocketAddress remoteAddress);

    /** Accepts everything. */
    static HandshakeInterceptor acceptAll() {
        return (request, remoteAddress) -> HandshakeDecision.accept();
    }

    /**
     * Accepts only requests whose {@code Origin} is one of {@code allowed} (exact, case-insensitive,
     * e.g. {@code "https://example.com"}); others get 403. Requests without an Origin (non-browser
     * clients) are accepted.
     */
    static HandshakeInterceptor allowOrigins(java.util.Collection<String> allowed) {
        java.util.Set<String> origins = new java.util.HashSet<>();
        for (String origin : allowed) {
            origins.add(origin.toLowerCase(java.util.Locale.ROOT));
        }
        return (request, remoteAddress) -> request.origin()
                .filter(origin -> !origins.contains(origin.toLowerCase(java.util.Locale.ROOT)))
                .<HandshakeDecision>map(origin -> HandshakeDecision.reject(403, "origin " + origin + " is not allowed"))
                .orElseGet(HandshakeDecision::accept);
    }
}
