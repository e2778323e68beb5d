/** WebSocket over sockets with a virtual thread per connection. */
module ws.transport.virtualthreads {
    requires transitive ws.protocol;
    requires ws.transport.blocking;
    exports ws.transport.virtualthreads;
}
