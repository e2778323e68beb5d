/**
 * The connection driver: everything about a connection that is not reading or writing bytes, shared
 * by every transport (python-websockets' drivers, one per I/O model, each only reads, writes and
 * wakes; here the logic they would share lives once).
 *
 * <ul>
 *   <li>{@link ws.protocol.driver.ConnectionDriver}: one connection, the {@code WebSocket} the
 *       application holds; a transport feeds it what it reads and lets it write.</li>
 *   <li>{@link ws.protocol.driver.Sink}: what a transport supplies: write, write without waiting,
 *       end the output, close.</li>
 *   <li>{@link ws.protocol.driver.Scheduler}: the clock and timers (a manual one in tests).</li>
 *   <li>{@link ws.protocol.driver.ConnectionHost}: the server or client that owns connections.</li>
 *   <li>{@link ws.protocol.driver.Reconnector}: a client's {@code ReconnectingWebSocket}, a sequence of
 *       connections with backoff waits on the client's {@code Scheduler}.</li>
 * </ul>
 *
 * <p>No sockets, no threads of its own, no clock of its own: the driver writes through the
 * {@code Sink}, schedules on the {@code Scheduler}, and hands blocking writes to the host's
 * {@link ws.protocol.driver.ConnectionHost#writers() writer executor}. See docs/architecture.md.
 */
package ws.protocol.driver;
