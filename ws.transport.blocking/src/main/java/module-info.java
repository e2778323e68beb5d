/**
 * WebSocket over TCP sockets with a platform thread per connection; its loop also runs the
 * virtual-thread transport ({@code ws.transport.virtualthreads}).
 *
 * <p>Provides the {@link ws.protocol.api.Transport} named {@code "blocking"}
 * ({@link ws.transport.blocking.BlockingTransport}).
 *
 * <h2>How a connection runs</h2>
 * <ul>
 *   <li><b>Reading.</b> One thread per connection reads into a buffer, feeds the sans-I/O engine
 *       under the connection's {@code ReentrantLock}, queues the engine's output and events (still
 *       under the lock, so both keep the engine's order), releases the lock, then calls the
 *       listener. Only this thread calls the listener: callbacks for one connection never run
 *       concurrently, and a slow listener slows only its own connection.</li>
 *   <li><b>Writing.</b> Sends, from any thread, call the engine under the same lock and queue the
 *       bytes. Nobody writes while holding the engine lock, and neither the reader nor a sender
 *       writes on its own thread: a per-connection writer (a short-lived virtual thread, started
 *       when bytes are queued and none is running) drains the queue under a separate write lock in
 *       gathering writes, combining whatever was queued meanwhile. So a peer that stops reading never
 *       stops our reading (two peers writing to each other would otherwise deadlock), and never
 *       blocks a sender beyond what the backpressure policy says. A send's future completes when its
 *       last byte was written.</li>
 *   <li><b>The peer's close.</b> The engine holds the close frame that answers the peer until the
 *       listener has handled the events read before it, so answers to messages that arrived with
 *       the peer's close go out first (RFC 6455 section 5.5.1).</li>
 *   <li><b>Sends while closing.</b> After the application's own {@code close()}, a send is misuse
 *       and throws. A send that meets a connection closing for any other reason (the peer closed, a
 *       failure, a timeout, a shutdown) is not: its future fails with an {@code IOException}.</li>
 *   <li><b>Backpressure.</b> {@code bufferedAmount} is exact: bytes queued and not yet written. A
 *       message that would take it above {@code highWaterMark} meets the policy: {@code WAIT} blocks
 *       the sender until it fits (at most the close timeout, then the send fails with
 *       {@code BackpressureException}); {@code FAIL} fails the send at once; {@code CLOSE} fails it
 *       and the connection with 1008. A message always fits an empty queue, so one larger than the
 *       mark is never refused forever. Control frames are not subject to the mark. A broadcast never
 *       waits: for it {@code WAIT} counts as {@code FAIL}, for that one client.</li>
 *   <li><b>Timers.</b> One daemon scheduler thread per server or client only starts things; every
 *       action runs on a virtual thread of its own. The handshake timeout covers the whole opening
 *       handshake (a slowloris trickle is cut: the server closes the socket, a client's connect
 *       fails with a {@code TimeoutException}). Keepalive: after {@code pingInterval} without
 *       incoming bytes, a ping; if nothing arrives within {@code pongTimeout}, the connection is
 *       aborted and reported as 1006 with a {@code TimeoutException} "no pong within ...". The idle
 *       timeout closes with 1001 when no message passed either way. The close timeout bounds the
 *       close handshake and the lingering after it.</li>
 *   <li><b>Ending.</b> Once the engine is closed, the output is written, FIN is sent, and input is
 *       read and discarded until the peer's FIN (a lingering close: unread input would otherwise
 *       turn our last frame into a reset), within the close timeout; a client thereby waits for the
 *       server to close TCP first (RFC 6455 section 7.1.1). Then the socket is closed and
 *       {@code onClose} runs, exactly once and last.</li>
 *   <li><b>Errors.</b> A listener that throws gets {@code onError}, then the connection fails with
 *       1011. Protocol violations close with the RFC's code; bad handshakes get their HTTP status
 *       (the interceptor throwing: 500). Errors of one connection never reach another.</li>
 * </ul>
 *
 * <p>Sockets get TCP_NODELAY (a plain connection a server accepted at its second write: Nagle
 * cannot delay a first one). Logging goes through SLF4J (debug for per-connection events, warn
 * for real problems); no SLF4J binding is shipped.
 */
// "module": the qualified export names modules built after this one, which javac cannot see here
@SuppressWarnings("module")
module ws.transport.blocking {
    requires transitive ws.protocol;
    // the thread-per-connection runtime over byte streams (its Wire is in our friends' signatures)
    requires transitive ws.transport.stream;
    requires org.slf4j;

    exports ws.transport.blocking;
    exports ws.transport.blocking.layer;
    // The socket half (accept loop, connect path, socket wires, layers), shared with the
    // virtual-thread transport (which runs it with a virtual-thread factory and its own buffer sizes)
    // and the TLS transport (which runs it over a TLS SocketLayer); not an API for anyone else.
    exports ws.transport.blocking.internal to ws.transport.virtualthreads, ws.transport.tls;
    // wss:// on a transport without a TLS layer: the default TLS client layer, when ws.transport.tls is
    // installed (it provides one with the system's trust store)
    uses ws.transport.blocking.internal.SocketLayerProvider;

    provides ws.protocol.api.Transport with ws.transport.blocking.BlockingTransport;
}
