package ws.events;

/**
 * Handles an event whose first two arguments are bound to {@code A} and {@code B}. For more,
 * bind them all to one record with {@link Arguments#as(Class)}.
 *
 * @param <A> the type of the first argument
 * @param <B> the type of the second argument
 */
@FunctionalInterface
public interface ArgumentsListener<A, B> {
    void onEvent(A first, B second, Event event) throws Exception;
}
