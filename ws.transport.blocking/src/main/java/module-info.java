/** WebSocket over sockets with a platform thread per connection. */
module ws.transport.blocking {
    requires transitive ws.protocol;
    requires org.slf4j;
    exports ws.transport.blocking;
}
