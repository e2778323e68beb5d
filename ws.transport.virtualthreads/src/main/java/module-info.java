/**
 * WebSocket over TCP sockets with a virtual thread per connection: the blocking transport's loop on
 * virtual threads.
 *
 * <p>Provides the {@link ws.protocol.api.Transport} named {@code "virtual"}, which is preferred over
 * {@code "blocking"} when both are installed.
 */
module ws.transport.virtualthreads {
    requires transitive ws.protocol;
    // the shared socket loop (its internal package is exported to this module alone)
    requires ws.transport.blocking;

    exports ws.transport.virtualthreads;

    provides ws.protocol.api.Transport with ws.transport.virtualthreads.VirtualThreadTransport;
}
