package ws.events;

/**
 * Handles an event whose first argument is bound to {@code A} by the server's ObjectMapper.
 *
 * @param <A> the type of the first argument (a record, a String, a {@code byte[]}, ...)
 */
@FunctionalInterface
public interface ArgumentListener<A> {
    void onEvent(A argument, Event event) throws Exception;
}
