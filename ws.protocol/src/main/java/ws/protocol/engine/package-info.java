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
 *   <li>Optionally, to let the application answer the messages that arrived just before the peer's
 *       close or protocol error (Autobahn cases 7.1.1, 3.2, 4.2.3, 5.15 expect those answers), call
 *       {@link ws.protocol.engine.Protocol#holdClose holdClose(true)} once, and
 *       {@link ws.protocol.engine.Protocol#releaseClose} (then write {@code dataToSend} again) each
 *       time the events are handled.</li>
 *   <li>When {@link ws.protocol.engine.Protocol#state} is {@code CLOSED} and the output is written,
 *       close the socket (a client first waits, bounded, for the server to close it: RFC 6455
 *       section 7.1.1).</li>
 * </ol>
 * The engine is not thread-safe: call it under one lock per connection.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Closing.</b> When the peer's close frame arrives while we are open, the engine queues the
 *       echo (the peer's status code, no reason; an empty close is echoed empty; a code we may not
 *       send, 1010 from a client to a server, is echoed as 1000) and is {@code CLOSED} at once:
 *       {@link ws.protocol.engine.ProtocolEvent.CloseReceived} then
 *       {@link ws.protocol.engine.ProtocolEvent.Closed} with the peer's status (unless the driver holds
 *       the close: then {@code CLOSE_RECEIVED} until it releases it). After our own close
 *       ({@code CLOSE_SENT}) data and pings still arrive and are reported, but no pong is sent:
 *       nothing goes out after a close frame.</li>
 *   <li><b>Failing.</b> A peer error queues our close frame (the code the RFC names, the rule broken as
 *       reason, cut to 123 bytes) and the engine is {@code CLOSED} at once (RFC 6455 section 7.1.7: no
 *       waiting for the peer's close; a held close waits only for the driver, never for the peer). A client's driver still waits, bounded, for the server to close
 *       the TCP connection.</li>
 *   <li><b>Never opened.</b> A connection whose opening handshake did not complete (invalid request,
 *       rejection, plain HTTP answered, input ended) ends with 1006 in its
 *       {@link ws.protocol.engine.ProtocolEvent.Closed}, the {@code HandshakeException} as cause when
 *       there was one.</li>
 *   <li><b>Buffers.</b> Received messages are copied out of the driver's buffers, which are never
 *       modified (masked input is unmasked while copying). What {@code dataToSend} returns belongs to
 *       the driver; small frames share one buffer, and a server's large binary payload (16 KiB or more,
 *       no transforming extension) is returned as a view of the application's buffer rather than
 *       copied. A driver that calls {@link ws.protocol.engine.Protocol#recycleOutput} once all of it
 *       is written gets that shared buffer written over again, so a connection echoing small messages
 *       allocates no output buffer per message.</li>
 *   <li><b>Limits.</b> {@code maxFramePayload} is checked at each frame header; {@code maxMessageSize}
 *       at each frame header too (without extensions) or on each frame's decoded output (with them);
 *       a frame's or message's buffer grows as bytes arrive beyond 1 MiB, so an announced length is
 *       never a reason to allocate that much at once.</li>
 *   <li><b>Masking keys</b> come from {@link ws.protocol.engine.ProtocolConfig#random()}, sixteen per
 *       draw ({@link ws.protocol.FrameWriter#nextMaskKey()}).</li>
 * </ul>
 */
package ws.protocol.engine;
