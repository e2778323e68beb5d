/**
 * The virtual-thread socket transport: {@link ws.transport.virtualthreads.VirtualThreadTransport}.
 * Found by {@link java.util.ServiceLoader} as a {@link ws.protocol.api.Transport}.
 */
package ws.transport.virtualthreads;
