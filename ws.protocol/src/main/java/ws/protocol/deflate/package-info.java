/**
 * permessage-deflate (RFC 7692): {@link ws.protocol.deflate.PerMessageDeflate}, the factory
 * applications configure (window bits, context takeover, thresholds) and list in
 * {@link ws.protocol.api.ConnectionOptions#extensions()}. It implements the extension SPI of
 * {@link ws.protocol.extension}; the compression itself is internal ({@code ws.protocol.internal.deflate}).
 */
package ws.protocol.deflate;
