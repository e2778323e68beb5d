/**
 * The socket loop shared by the blocking and virtual-thread transports: one thread per connection
 * reading and dispatching, writes outside the engine lock with flush combining, shared timers.
 * Exported only to {@code ws.transport.virtualthreads}, which runs it with another thread factory.
 */
package ws.transport.blocking.internal;
