package ws.events.spi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Objects;

/**
 * A persisted session found again in time, with the events its socket missed.
 *
 * @param session       what was persisted
 * @param missedPackets the event data ({@code [name, args..., offset]}) broadcast to its rooms since
 *                      the client's offset, oldest first
 */
public record RestoredSession(PersistedSession session, List<ArrayNode> missedPackets) {
    /** Checks the components. */
    public RestoredSession {
        Objects.requireNonNull(session, "session");
        missedPackets = List.copyOf(missedPackets);
    }
}
