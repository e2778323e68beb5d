/**
 * The runtime's pieces shared with the modules built on it (the TLS wire's buffers, TCP_NODELAY
 * deferred on accepted channels): not an API,
 * exported to those modules only.
 */
package ws.transport.stream.internal;
