package ws.events;

/**
 * Runs for every event a socket receives, before its listeners: validation, authorization per
 * event. Throwing drops the event; the socket's {@link EventSocket#onError error listeners} get the
 * exception.
 */
@FunctionalInterface
public interface EventMiddleware {
    void check(Event event) throws Exception;
}
