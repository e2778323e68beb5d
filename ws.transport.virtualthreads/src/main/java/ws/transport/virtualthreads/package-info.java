/** The virtual-thread socket transport. */
package ws.transport.virtualthreads;
