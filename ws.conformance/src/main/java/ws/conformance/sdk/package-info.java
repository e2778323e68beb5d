/**
 * The SDK itself as a target of the suite, started in-process through its public API: an echo server
 * on a chosen transport (for client mode) and an echo client launcher (for server mode).
 */
package ws.conformance.sdk;
