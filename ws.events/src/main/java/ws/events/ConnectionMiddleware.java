package ws.events;

/**
 * Runs when a client asks to join a namespace, before the socket is connected: check its
 * {@link EventSocket#handshake() handshake} (the auth payload, headers, query), attach data to it.
 * Middlewares run in the order added; the first that throws refuses the connection (a
 * {@link RefusedException} gives the client its message and data; any other exception its message).
 */
@FunctionalInterface
public interface ConnectionMiddleware {
    void check(EventSocket socket) throws Exception;
}
