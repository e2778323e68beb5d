/**
 * WebSocket over TCP on event loops: a few threads (one per core by default) multiplex every
 * connection with a NIO {@link java.nio.channels.Selector}, so an idle connection holds no thread and
 * no read buffer, only its channel and its driver's state.
 *
 * <p>Provides the {@link ws.protocol.api.Transport} named {@code "eventloop"}. Listener callbacks and
 * HTTP handlers run on the connection's loop thread and must not block (see
 * {@link ws.transport.eventloop.EventLoopTransport}). {@code wss://} with the module
 * {@code ws.transport.tls}: {@code TlsTransport.server(config).over(new EventLoopTransport())}, an
 * {@code SSLEngine} per connection through the layer SPI of {@link ws.transport.eventloop.layer}.
 */
module ws.transport.eventloop {
    requires transitive ws.protocol;
    requires org.slf4j;
    // JfrObserver and ServerMBean: the JFR events and the MXBean every server shares (no threads of its own)
    requires ws.transport.stream;

    exports ws.transport.eventloop;
    // the TLS layer's SPI, which ws.transport.tls implements (its types are in EventLoopTransport.withTls)
    exports ws.transport.eventloop.layer;

    // wss:// on a client given no TLS: the default client layer, when ws.transport.tls is installed
    uses ws.transport.eventloop.layer.DefaultTlsProvider;

    provides ws.protocol.api.Transport with ws.transport.eventloop.EventLoopTransport;
}
