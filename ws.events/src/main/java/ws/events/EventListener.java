package ws.events;

/** Handles an event received by a socket, with its arguments unbound ({@link Event#args()}). */
@FunctionalInterface
public interface EventListener {
    void onEvent(Event event) throws Exception;
}
