/**
 * The layers of a socket transport's connections, as values: {@link ws.transport.blocking.layer.ClientLayer}
 * (one step of a client's connect path over TCP: an {@link ws.transport.blocking.layer.HttpConnectTunnel},
 * TLS), {@link ws.transport.blocking.layer.AcceptLayer} (what a server runs over each accepted socket),
 * and {@link ws.transport.blocking.layer.LayeredTransport}, the transports that take them.
 */
package ws.transport.blocking.layer;
