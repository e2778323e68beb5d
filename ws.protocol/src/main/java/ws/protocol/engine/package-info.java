/**
 * The sans-I/O engine: one connection's protocol state, with no sockets, threads or clock.
 *
 * <p>The contract for whoever drives it (a transport, a test, your own I/O loop):
 * <ol>
 *   <li>Feed every byte read with {@link ws.protocol.engine.Protocol#receiveData}, and the end of
 *       input with {@link ws.protocol.engine.Protocol#receiveEof}. These never throw because of what
 *       the peer sent: violations become a queued close frame and a
 *       {@link ws.protocol.engine.ProtocolEvent.Failed} event.</li>
 *   <li>After each call, write out everything {@link ws.protocol.engine.Protocol#dataToSend} returns,
 *       in order, then handle {@link ws.protocol.engine.Protocol#events}.</li>
 *   <li>When {@link ws.protocol.engine.Protocol#closeExpected} turns true, start a close timer; when it
 *       fires, close the socket and call {@code receiveEof}.</li>
 *   <li>When {@link ws.protocol.engine.Protocol#state} is {@code CLOSED} and the output is written,
 *       close the socket (a client first waits, bounded, for the server to close it: RFC 6455
 *       section 7.1.1).</li>
 * </ol>
 * The engine is not thread-safe: call it under one lock per connection.
 */
package ws.protocol.engine;
