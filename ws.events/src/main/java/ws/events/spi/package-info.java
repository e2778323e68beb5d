/**
 * The adapter SPI: {@link ws.events.spi.Adapter} (one per namespace, made by an
 * {@link ws.events.spi.AdapterFactory}) is the seam through which rooms, broadcasts,
 * {@code fetchSockets}, room operations on many sockets and connection state recovery go.
 * {@link ws.events.spi.InMemoryAdapter} serves one server; a cluster adapter extends it. The data
 * crossing the seam is plain JSON (Jackson trees, binary as {@code BinaryNode}), so it can be
 * carried between nodes, in the formats of socket.io's own adapters.
 */
package ws.events.spi;
