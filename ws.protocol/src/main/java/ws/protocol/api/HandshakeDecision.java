package ws.protocol.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import ws.protocol.handshake.HandshakeResponse;
import ws.protocol.handshake.HttpHeaders;

/** A {@link HandshakeInterceptor}'s answer: accept, with details, or reject with a response. */
public sealed interface HandshakeDecision {

    /** Accept; the subprotocol is chosen from the route's list and the client's offer. */
    static Accept accept() {
        return new Accept(null, Map.of(), HttpHeaders.empty());
    }

    /** Reject with a status and its standard reason phrase, with {@code message} as a text body. */
    static Reject reject(int status, String message) {
        return new Reject(HandshakeResponse.text(status, message));
    }

    /**
     * Accept the connection.
     *
     * @param subprotocol the subprotocol to agree (one the client offered), or {@code null} to let the
     *                    route choose
     * @param attributes  attached to the connection's {@link WebSocket#attributes()}
     * @param headers     added to the 101 response
     */
    record Accept(String subprotocol, Map<String, Object> attributes, HttpHeaders headers) implements HandshakeDecision {
        public Accept {
            attributes = Map.copyOf(attributes);
            Objects.requireNonNull(headers, "headers");
        }

        public Accept withSubprotocol(String value) {
            return new Accept(Objects.requireNonNull(value, "subprotocol"), attributes, headers);
        }

        public Accept withAttribute(String name, Object value) {
            Map<String, Object> more = new LinkedHashMap<>(attributes);
            more.put(name, value);
            return new Accept(subprotocol, more, headers);
        }

        public Accept withHeader(String name, String value) {
            return new Accept(subprotocol, attributes, headers.toBuilder().add(name, value).build());
        }
    }

    /** Reject the connection with this response. */
    record Reject(HandshakeResponse response) implements HandshakeDecision {
        public Reject {
            Objects.requireNonNull(response, "response");
            if (response.status() == 101) {
                throw new IllegalArgumentException("a rejection cannot be 101");
            }
        }
    }
}
