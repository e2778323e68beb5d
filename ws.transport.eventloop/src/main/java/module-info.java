/**
 * WebSocket over TCP on event loops: a few threads (one per core by default) multiplex every
 * connection with a NIO {@link java.nio.channels.Selector}, so an idle connection holds no thread and
 * no read buffer, only its channel and its driver's state.
 *
 * <p>Provides the {@link ws.protocol.api.Transport} named {@code "eventloop"}. Listener callbacks and
 * HTTP handlers run on the connection's loop thread and must not block (see
 * {@link ws.transport.eventloop.EventLoopTransport}). Plain {@code ws://} only: TLS runs on the socket
 * transports ({@code TlsTransport.over(...)}).
 */
module ws.transport.eventloop {
    requires transitive ws.protocol;
    requires org.slf4j;
    // JfrObserver and ServerMBean: the JFR events and the MXBean every server shares (no threads of its own)
    requires ws.transport.stream;

    exports ws.transport.eventloop;

    provides ws.protocol.api.Transport with ws.transport.eventloop.EventLoopTransport;
}
