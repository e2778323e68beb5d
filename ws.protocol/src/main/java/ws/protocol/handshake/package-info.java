/**
 * The opening handshake of RFC 6455 section 4 on both sides: HTTP/1.1 heads parsed incrementally and
 * within limits, the request validated by the server (answered with a precise status when it is
 * wrong), the response validated by the client, the accept key, and subprotocol negotiation.
 */
package ws.protocol.handshake;
