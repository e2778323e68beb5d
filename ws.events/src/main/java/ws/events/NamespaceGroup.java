package ws.events;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Dynamic namespaces: every name the predicate accepts becomes a namespace the first time a client
 * asks for it ({@code server.of(name -> name.startsWith("/team-"))}). The group's middlewares and
 * connection handlers apply to each of them, before their own.
 */
public final class NamespaceGroup {
    private final EventServer server;
    private final Predicate<String> names;
    private final List<ConnectionMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<EventSocket>> connectionHandlers = new CopyOnWriteArrayList<>();

    NamespaceGroup(EventServer server, Predicate<String> names) {
        this.server = server;
        this.names = names;
    }

    /** Adds a connection middleware for every namespace of the group. */
    public NamespaceGroup use(ConnectionMiddleware middleware) {
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** Runs for every socket that joins a namespace of the group. */
    public NamespaceGroup onConnection(Consumer<EventSocket> handler) {
        connectionHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** The namespaces of the group made so far. */
    public List<Namespace> namespaces() {
        return server.namespaces().stream().filter(namespace -> namespace.group() == this).toList();
    }

    /** Emits to every socket of every namespace of the group. */
    public void emit(String event, Object... args) {
        for (Namespace namespace : namespaces()) {
            namespace.emit(event, args);
        }
    }

    boolean accepts(String name) {
        return names.test(name);
    }

    List<ConnectionMiddleware> middlewares() {
        return middlewares;
    }

    List<Consumer<EventSocket>> connectionHandlers() {
        return connectionHandlers;
    }
}
