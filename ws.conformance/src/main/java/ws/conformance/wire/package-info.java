/**
 * The suite's own minimal WebSocket wire codec: raw frames (any bits, any opcode, any length, any
 * mask), a strict frame reader that reports every rule the peer breaks, UTF-8 validation, and the
 * HTTP/1.1 upgrade on both sides. Written for this module alone and independent of {@code ws.protocol}.
 */
package ws.conformance.wire;
