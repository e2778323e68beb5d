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
 *   <li>{@link ws.testkit.EmbeddedConnection}: one real connection with no socket and no thread, driven
 *       step by step (bytes in, bytes out, a manual clock), as Netty's {@code EmbeddedChannel}.</li>
 * </ul>
 *
 * <h2>Design: one connection driver</h2>
 * The testkit does not have a second connection driver. Every connection here is the SDK's own
 * {@link ws.protocol.driver.ConnectionDriver} around the engine, as on every transport: the loopback
 * network runs it on the thread-per-connection runtime the socket transports share
 * (ws.transport.stream) over in-memory pipes with fault injection, its timers on a manual clock; an
 * {@code EmbeddedConnection} runs it with no thread at all. So what a test sees (the order of
 * callbacks, the close handshake, timeouts, backpressure, the 1011 after a listener throws) is what
 * production sees on a socket, and a fix in the driver is tested by both. The testkit requires no
 * socket transport and no module's internal package.
 *
 * <p>No JUnit, Mockito or other test framework type appears in this API: waits fail with
 * {@link java.lang.AssertionError}, which every framework reports as a failure. The JUnit 5
 * extension lives in its own module, {@code ws.testkit.junit}.
 */
module ws.testkit {
    requires transitive ws.protocol;
    // the thread-per-connection runtime the loopback network runs on (an exported API, no internals)
    requires ws.transport.stream;

    exports ws.testkit;
}
