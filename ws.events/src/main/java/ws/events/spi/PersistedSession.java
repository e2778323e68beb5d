package ws.events.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * What a socket that lost its connection leaves for its recovery (connection state recovery).
 *
 * @param sid   the socket id, given back on recovery
 * @param pid   the private session id the client presents to recover
 * @param rooms its rooms, its own id included
 * @param data  its application data as JSON
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, JsonNode data) {
    /** Checks the components. */
    public PersistedSession {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = Set.copyOf(rooms);
        Objects.requireNonNull(data, "data");
    }
}
