/**
 * Extensions (RFC 6455 section 9): the {@code Sec-WebSocket-Extensions} grammar, and the SPI an
 * extension such as permessage-deflate (RFC 7692) implements to negotiate and to transform the
 * payload of data frames. Extensions are found with {@link java.util.ServiceLoader} or configured
 * explicitly; the engine runs only those that were negotiated.
 */
package ws.protocol.extension;
