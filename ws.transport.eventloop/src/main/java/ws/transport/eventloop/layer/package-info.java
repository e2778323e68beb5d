/**
 * The layer SPI of the event-loop transport: what sits between a connection's socket and its HTTP and
 * WebSocket bytes, non-blocking, on the connection's loop. ws.transport.tls implements it with the JDK's
 * {@code SSLEngine}; applications choose TLS with {@code TlsTransport}, not with these types.
 */
package ws.transport.eventloop.layer;
