/**
 * WebSocket over TCP sockets with a platform thread per connection.
 *
 * <p>Provides the {@link ws.protocol.spi.Transport} named {@code "blocking"}. Logs through SLF4J
 * (debug for per-connection events, warn for real problems); it ships no SLF4J binding.
 */
module ws.transport.blocking {
    requires transitive ws.protocol;
    requires org.slf4j;

    exports ws.transport.blocking;
    // The socket loop, shared with the virtual-thread transport, which runs it with a virtual-thread
    // factory and its own buffer sizes; not an API for anyone else.
    exports ws.transport.blocking.internal to ws.transport.virtualthreads;

    provides ws.protocol.spi.Transport with ws.transport.blocking.BlockingTransport;
}
