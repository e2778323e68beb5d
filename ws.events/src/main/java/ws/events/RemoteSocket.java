package ws.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import ws.events.spi.BroadcastOptions;
import ws.events.spi.SocketInfo;

/**
 * A socket found by {@code fetchSockets}, on this server or (with a cluster adapter) another: its
 * state when fetched, and operations that reach it through the adapter wherever it is.
 */
public final class RemoteSocket {
    private final Namespace namespace;
    private final SocketInfo info;

    RemoteSocket(Namespace namespace, SocketInfo info) {
        this.namespace = namespace;
        this.info = info;
    }

    /** Its id. */
    public String id() {
        return info.id();
    }

    /** Its rooms when fetched, its own id included. */
    public Set<String> rooms() {
        return info.rooms();
    }

    /** Its data ({@link EventSocket#data()}) as JSON, when fetched. */
    public JsonNode data() {
        return info.data();
    }

    /** One value of its data bound to a type, or {@code null}. */
    public <T> T data(String key, Class<T> type) {
        JsonNode value = info.data().get(key);
        return value == null ? null : namespace.server().mapper().convertValue(value, type);
    }

    /** Its handshake as JSON (socket.io's shape: headers, query, auth, address, time, issued, url). */
    public JsonNode handshake() {
        return info.handshake();
    }

    /** Emits an event to it. */
    public void emit(String event, Object... args) {
        self().emit(event, args);
    }

    /** Makes it join rooms. */
    public void join(String... rooms) {
        self().socketsJoin(rooms);
    }

    /** Makes it leave rooms. */
    public void leave(String... rooms) {
        self().socketsLeave(rooms);
    }

    /** Disconnects it. */
    public void disconnect(boolean close) {
        self().disconnectSockets(close);
    }

    private Broadcast self() {
        return new Broadcast(namespace, BroadcastOptions.socket(info.id()));
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + info.id() + " " + info.rooms() + "]";
    }
}
