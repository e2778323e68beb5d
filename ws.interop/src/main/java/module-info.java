/**
 * The harness of the interop tests: our server with the scenario routes, and the peers run as
 * processes (Node's ws package, python-websockets). The tests themselves are in src/test and are
 * patched into this module; nothing is exported.
 */
module ws.interop {
    requires ws.protocol;
    // Both transports run every scenario; they are found by name with ServiceLoader.
    requires ws.transport.blocking;
    requires ws.transport.virtualthreads;
    requires ws.transport.eventloop;
    // wss:// scenarios (Node's ws over TLS, both ways): TlsTransport and development certificates
    requires ws.transport.tls;
    // The event server (ws.events) that npm socket.io-client connects to, and our event client
    // (ws.events.client) against the npm socket.io server.
    requires ws.events;
    // Our event server as a node of a Redis cluster shared with the npm socket.io server.
    requires ws.events.redis;
    // The JDK's own WebSocket client is one of the peers (used by the tests).
    requires java.net.http;

    // The scenario server accepts every installed extension (permessage-deflate), as ws echo does.
    uses ws.protocol.extension.ExtensionFactory;
}
