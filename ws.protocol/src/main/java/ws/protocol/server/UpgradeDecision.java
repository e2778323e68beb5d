package ws.protocol.server;

import java.util.Map;
import java.util.Objects;
import ws.protocol.api.WebSocketListener;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/** What {@link ServerCore#decide} made of a valid upgrade request: accept on a route, or reject. */
public sealed interface UpgradeDecision {

    /**
     * Accept: the transport completes the handshake with these values and runs the connection.
     *
     * @param listener    the route's listener
     * @param subprotocol the subprotocol to agree, or empty for none
     * @param headers     extra 101 response headers
     * @param attributes  attached to the connection's {@link ws.protocol.api.WebSocket#attributes()}
     */
    record Accept(WebSocketListener listener, String subprotocol, HttpHeaders headers, Map<String, Object> attributes)
            implements UpgradeDecision {
        /** Checks that no part is null; copies the attributes. */
        public Accept {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(subprotocol, "subprotocol");
            Objects.requireNonNull(headers, "headers");
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * Reject with this response.
     *
     * @param response the response to send, after which the connection closes
     * @param failure  what failed when the rejection is the server's fault (an interceptor threw or
     *                 returned nothing: 500), for the transport's log; else {@code null}
     */
    record Reject(HandshakeResponse response, Throwable failure) implements UpgradeDecision {
        /** Checks that the response is not null. */
        public Reject {
            Objects.requireNonNull(response, "response");
        }
    }
}
