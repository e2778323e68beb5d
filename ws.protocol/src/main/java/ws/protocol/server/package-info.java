/**
 * The transport-neutral server core, for transport authors: what a server makes of each request
 * (routing, subprotocol choice, the server's and the route's interceptors, the plain-HTTP handler, the
 * HTTP answers when nothing matches), computed once from {@link ws.protocol.api.ServerOptions} so that
 * every transport (sockets, TLS, the testkit's loopback) answers alike. It depends on
 * {@link ws.protocol.api} and {@link ws.protocol.handshake}; nothing in the API depends on it.
 */
package ws.protocol.server;
