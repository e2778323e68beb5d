package ws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ws.protocol.handshake.HttpHeaders;

/**
 * How a socket connected: the HTTP request that opened its connection and the auth payload of its
 * CONNECT packet.
 *
 * @param headers the request headers
 * @param query   the query parameters
 * @param url     the request target (path and query)
 * @param address the client's address ({@code "127.0.0.1:53211"})
 * @param auth    the CONNECT packet's auth object (an empty object when none)
 * @param issued  when the socket connected
 */
public record Handshake(HttpHeaders headers, Map<String, List<String>> query, String url, String address,
                        JsonNode auth, Instant issued) {
    /** Checks the components. */
    public Handshake {
        Objects.requireNonNull(headers, "headers");
        query = Map.copyOf(query);
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(address, "address");
        auth = auth == null ? JsonNodeFactory.instance.objectNode() : auth;
        Objects.requireNonNull(issued, "issued");
    }

    /** A header's first value. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** A query parameter's first value. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A text field of the auth payload ({@code auth.token}). */
    public Optional<String> authField(String name) {
        JsonNode value = auth.get(name);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** As socket.io's handshake object ({@link ws.events.spi.SocketInfo#handshake()}). */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode headerNode = json.putObject("headers");
        headers.forEach((name, value) -> headerNode.put(name.toLowerCase(java.util.Locale.ROOT), value));
        ObjectNode queryNode = json.putObject("query");
        query.forEach((name, values) -> queryNode.put(name, values.isEmpty() ? "" : values.get(0)));
        json.put("url", url);
        json.put("address", address);
        json.set("auth", auth);
        json.put("time", issued.toString());
        json.put("issued", issued.toEpochMilli());
        return json;
    }
}
