/**
 * Connections over blocking byte streams, one thread each: the runtime the socket transports
 * (ws.transport.blocking, ws.transport.virtualthreads, ws.transport.tls) and ws.testkit's in-memory
 * network share, so none of them copies another's loop.
 *
 * <p>What a transport over it supplies is a {@link ws.transport.stream.Wire} (read, write, shut the
 * output, close), where its connections come from (an accept loop calling
 * {@link ws.transport.stream.StreamServer#accept}, a {@link ws.transport.stream.StreamClient.Connector}),
 * and its threads ({@link ws.transport.stream.StreamSettings}). Everything about a connection that is
 * not reading or writing bytes is the I/O-free {@link ws.protocol.driver.ConnectionDriver}'s; this
 * module adds the thread, the read loop, the plain HTTP phase of a server connection, the registries
 * and the order of a shutdown. Logging goes through SLF4J; JFR events ({@code ws.*}) and the server's
 * MXBean use {@code jdk.jfr} and {@code java.management} when they are in the runtime.
 */
module ws.transport.stream {
    requires transitive ws.protocol;
    requires org.slf4j;
    // optional at run time, so that a jlink image of a ws:// application need not carry them: JFR events
    // are recorded when jdk.jfr is resolved (JfrObserver), the MXBean needs java.management (ServerMBean)
    requires static jdk.jfr;
    requires static java.management;

    exports ws.transport.stream;
    // the buffer pool, shared with the TLS wire's scratch buffers; TCP_NODELAY deferred on accepted channels
    exports ws.transport.stream.internal to ws.transport.tls, ws.transport.blocking, ws.transport.eventloop;
}
