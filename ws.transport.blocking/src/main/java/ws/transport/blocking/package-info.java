/** The blocking socket transport. */
package ws.transport.blocking;
