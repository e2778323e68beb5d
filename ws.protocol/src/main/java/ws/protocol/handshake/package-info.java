/**
 * The opening handshake of RFC 6455 section 4 on both sides: HTTP/1.1 heads parsed incrementally and
 * within limits, the request validated by the server (answered with a precise status when it is
 * wrong), the response validated by the client, the accept key, and subprotocol negotiation.
 *
 * <h2>Server</h2>
 * <ol>
 *   <li>Feed bytes to {@link ws.protocol.handshake.HttpHeadParser#requests(int)} until it returns the
 *       request; bytes after the head stay in the buffer (they are frames).</li>
 *   <li>{@link ws.protocol.handshake.ServerHandshake#isUpgradeRequest} tells a WebSocket request from
 *       plain HTTP; {@link ws.protocol.handshake.ServerHandshake#validate} checks the rules of section
 *       4.2.1 in order.</li>
 *   <li>On a {@link ws.protocol.handshake.HandshakeException} (from the parser or from validation),
 *       send {@link ws.protocol.handshake.ServerHandshake#errorResponse} and close.</li>
 *   <li>Otherwise choose a subprotocol ({@link ws.protocol.handshake.ServerHandshake#chooseSubprotocol})
 *       and extensions, and send {@link ws.protocol.handshake.ServerHandshake#accept}, encoded by
 *       {@link ws.protocol.handshake.ServerHandshake#encode}.</li>
 * </ol>
 *
 * <h2>Client</h2>
 * <ol>
 *   <li>{@link ws.protocol.handshake.ClientHandshake#newKey}, then
 *       {@link ws.protocol.handshake.ClientHandshake#request} and
 *       {@link ws.protocol.handshake.ClientHandshake#encode}.</li>
 *   <li>Feed bytes to {@link ws.protocol.handshake.HttpHeadParser#responses(int)}, then
 *       {@link ws.protocol.handshake.ClientHandshake#validate} the response, which returns the agreed
 *       subprotocol; the engine checks the extensions against the ones it offered.</li>
 * </ol>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>Bare LF is refused</b> (400) on both sides, as is a CR not followed by LF. RFC 9112 section
 *       2.2 lets a recipient accept a bare LF; we do not, because every WebSocket implementation sends
 *       CRLF and a parser that ends lines differently from a proxy in front of it is a smuggling risk.</li>
 *   <li><b>HTTP/1.0</b> requests are parsed as such and refused by validation with 400 ("HTTP/1.1 or
 *       later", section 4.2.1 item 1); 505 is kept for other major versions (HTTP/2.0, HTTP/0.9), which
 *       the parser refuses at once. Other HTTP/1.x minor versions are accepted as HTTP/1.1.</li>
 *   <li><b>Limits</b>: the whole head, CRLFs included, is bounded; the first byte over the bound is
 *       refused before it is buffered, with 431 (414 while in the request target).</li>
 *   <li><b>Garbage</b> (a TLS ClientHello, a frame, random bytes) is refused at the first byte that
 *       cannot start or continue an HTTP start line, not after the limit.</li>
 *   <li><b>Strict syntax</b>: obs-fold, whitespace before a field's colon, control characters in
 *       values, non-token names and methods are refused with 400; values are trimmed of OWS.</li>
 *   <li><b>Statuses</b>: 405 (with {@code Allow: GET}) for a method other than GET; 426 (with
 *       {@code Sec-WebSocket-Version: 13}) for a missing or other version; 400 for everything else the
 *       RFC requires, including a repeated Host, Sec-WebSocket-Key or Sec-WebSocket-Version, a key that
 *       is not the canonical base64 of 16 bytes, and a request with a body.</li>
 *   <li><b>Client side</b>: a response that is not 101 fails with its status; a 101 that breaks a rule
 *       fails with status 0. Interim 1xx responses before it are skipped.</li>
 * </ul>
 *
 * <h2>Plain HTTP exchanges</h2>
 * Requests without {@code Upgrade: websocket} are plain HTTP, answered on the same port:
 * {@link ws.protocol.handshake.HttpBodyReader} reads a request body (Content-Length or chunked,
 * bounded) and {@link ws.protocol.handshake.HttpPersistence} says whether the connection serves
 * another request and encodes the response accordingly.
 */
package ws.protocol.handshake;
