/**
 * Test WebSocket code with no sockets: an in-memory loopback transport, a scripted raw peer, fault
 * injection and a manual clock. Downstream projects put it on their test module path
 * ({@code requires ws.testkit;} in a test module, or {@code --add-reads} when tests are patched into
 * the main module); see docs/testkit.md.
 *
 * <ul>
 *   <li>{@link ws.testkit.Loopback}: a {@link ws.protocol.api.Transport} whose servers and clients
 *       are connected by in-memory pipes. Use it with the normal builders
 *       ({@code WebSocketServer.builder().transport(loopback)}): handlers written against the API run
 *       unchanged on it in a test and on a socket transport in production.</li>
 *   <li>{@link ws.testkit.RawPeer}: a scripted client or server that sends any bytes (invalid frames
 *       included), records the {@link ws.testkit.Frame frames} it receives, and waits with timeouts.</li>
 *   <li>{@link ws.testkit.Link} and {@link ws.testkit.Flow}: per-connection faults (one byte at a time,
 *       splits, delays, stalls, a dropped connection, a half-close).</li>
 *   <li>{@link ws.testkit.ManualClock}: drives keepalive, idle, close and handshake timeouts.</li>
 * </ul>
 *
 * <h2>Design: one connection driver</h2>
 * The testkit does not have a second connection driver. The loopback transport is the socket
 * transports' own loop (ws.transport.blocking's {@code SocketConnection}, {@code SocketServer},
 * {@code SocketClient}) run over an in-memory {@code Wire} (a pair of bounded pipes with fault
 * injection) instead of a socket, with its {@code Timers} on a manual clock instead of a scheduler
 * thread. So what a test sees on loopback (the order of callbacks, the close handshake, timeouts,
 * backpressure, the 1011 after a listener throws) is what production sees on a socket, and a fix in
 * the loop is tested by both. ws.transport.blocking exports its internal package to this module
 * alone (besides its sibling transports) for that purpose.
 *
 * <p>No JUnit, Mockito or other test framework type appears in this API: waits fail with
 * {@link java.lang.AssertionError}, which every framework reports as a failure. The JUnit 5
 * extension lives in its own module, {@code ws.testkit.junit}.
 */
module ws.testkit {
    requires transitive ws.protocol;
    requires ws.transport.blocking;

    exports ws.testkit;
}
