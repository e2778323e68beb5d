/**
 * An Autobahn-style conformance suite for WebSocket endpoints. {@link ws.conformance.Main} runs it in
 * client mode (against a server URL) or server mode (a client command connects to the suite once per
 * case); {@link ws.conformance.Suite} is the same from code.
 */
package ws.conformance;
