package ws.events.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * A socket as {@code fetchSockets} reports it, on this node or another: plain data, so a cluster
 * adapter can carry it (the shape of socket.io's RemoteSocket).
 *
 * @param id        the socket id
 * @param rooms     its rooms, its own id included
 * @param data      its application data ({@code socket.data()}) as JSON
 * @param handshake its handshake as JSON: {@code headers}, {@code query}, {@code auth}, {@code address},
 *                  {@code time}, {@code issued}, {@code url}
 */
public record SocketInfo(String id, Set<String> rooms, JsonNode data, JsonNode handshake) {
    /** Checks the components. */
    public SocketInfo {
        Objects.requireNonNull(id, "id");
        rooms = Set.copyOf(rooms);
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(handshake, "handshake");
    }
}
