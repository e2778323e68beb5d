package ws.events.spi;

import java.util.Set;

/**
 * Which sockets a broadcast or a room operation reaches: those in any of {@code rooms} (every socket
 * of the namespace when empty), minus those in any of {@code except}. Every socket is in a room
 * named by its own id, so one socket is {@code rooms = {id}}.
 *
 * @param rooms    the rooms to reach; empty: the whole namespace
 * @param except   the rooms whose sockets are left out
 * @param dropIfBusy a volatile emit: dropped for a socket that cannot take it at once, never logged
 *                 for recovery
 * @param local    this server only, not the other nodes of a cluster
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean dropIfBusy, boolean local) {
    /** Checks the components. */
    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
    }

    /** Every socket of the namespace. */
    public static BroadcastOptions all() {
        return new BroadcastOptions(Set.of(), Set.of(), false, false);
    }

    /** One socket, by id. */
    public static BroadcastOptions socket(String id) {
        return new BroadcastOptions(Set.of(id), Set.of(), false, false);
    }

    /** Whether a socket in {@code socketRooms} (its own id included) is reached. */
    public boolean includes(Set<String> socketRooms) {
        boolean included = rooms.isEmpty();
        for (String room : socketRooms) {
            if (except.contains(room)) {
                return false;
            }
            included |= rooms.contains(room);
        }
        return included;
    }
}
