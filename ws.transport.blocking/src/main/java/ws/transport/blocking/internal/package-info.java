/**
 * The socket loop shared by the socket transports: one thread per connection reading and
 * dispatching ({@link ws.transport.blocking.internal.SocketConnection}), writes outside the engine
 * lock by a hand-off writer with flush combining ({@code Outbound}), shared timers, the server
 * ({@link ws.transport.blocking.internal.SocketServer}) and client
 * ({@link ws.transport.blocking.internal.SocketClient}). A transport is these parts with
 * {@link ws.transport.blocking.internal.TransportSettings}: a thread factory, buffer sizes, and a
 * {@link ws.transport.blocking.internal.SocketLayer} (plain, or TLS).
 *
 * <p>Exported only to {@code ws.transport.virtualthreads} and {@code ws.transport.tls}; not an API.
 */
package ws.transport.blocking.internal;
