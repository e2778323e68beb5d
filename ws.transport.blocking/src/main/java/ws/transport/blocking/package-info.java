/**
 * The blocking socket transport: {@link ws.transport.blocking.BlockingTransport}, a platform thread
 * per connection. Found by {@link java.util.ServiceLoader} as a {@link ws.protocol.api.Transport}.
 */
package ws.transport.blocking;
