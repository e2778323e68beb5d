/**
 * The WebSocket protocol (RFC 6455, RFC 7692) as a sans-I/O engine, and the transport-neutral user API.
 *
 * <p>This module uses nothing but {@code java.base}: no sockets, no threads, no clock, no logging.
 * Its packages, from the wire up:
 * <ul>
 *   <li>{@link ws.protocol}: wire values and codecs (opcodes, close codes, limits, frames, masking, UTF-8);</li>
 *   <li>{@link ws.protocol.handshake}: the HTTP/1.1 opening handshake on both sides;</li>
 *   <li>{@link ws.protocol.extension}: the extension SPI and {@code Sec-WebSocket-Extensions} parsing;</li>
 *   <li>{@link ws.protocol.deflate}: permessage-deflate (RFC 7692), an extension on that SPI;</li>
 *   <li>{@link ws.protocol.engine}: one connection's protocol state: bytes in, events out; calls in, bytes out;</li>
 *   <li>{@link ws.protocol.driver}: one connection's driver around the engine, I/O-free, that every
 *       transport shares (dispatch, deadlines, backpressure, the output lanes, the end of a connection);</li>
 *   <li>{@link ws.protocol.api}: what applications write against: connections, listeners, servers,
 *       clients, and the {@link ws.protocol.api.Transport} they run on (found with
 *       {@link java.util.ServiceLoader});</li>
 *   <li>{@link ws.protocol.server}: the transport-neutral server core (routing, interceptors, HTTP answers);</li>
 *   <li>{@link ws.protocol.stream}: messages as streams and as a {@link java.util.concurrent.Flow.Publisher}.</li>
 * </ul>
 */
module ws.protocol {
    exports ws.protocol;
    exports ws.protocol.handshake;
    exports ws.protocol.extension;
    exports ws.protocol.deflate;
    exports ws.protocol.engine;
    exports ws.protocol.driver;
    exports ws.protocol.api;
    exports ws.protocol.server;
    exports ws.protocol.stream;

    uses ws.protocol.api.Transport;
    uses ws.protocol.extension.ExtensionFactory;

    provides ws.protocol.extension.ExtensionFactory with ws.protocol.deflate.PerMessageDeflate;
}
